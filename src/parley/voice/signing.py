"""Signed, expiring links to an answer's audio."""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid

from parley.kit.security import derive_key


def sign_audio(secret: bytes, audio_id: uuid.UUID, expires: int) -> str:
    return hmac.new(derive_key(secret, "answer-audio"), f"{audio_id}:{expires}".encode(), hashlib.sha256).hexdigest()


def audio_url(secret: bytes, audio_id: uuid.UUID, ttl_s: int) -> str:
    expires = int(time.time()) + ttl_s
    return f"/api/v1/voice/audio/{audio_id}?expires={expires}&sig={sign_audio(secret, audio_id, expires)}"
