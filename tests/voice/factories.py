"""Conversations and recordings written straight to the database (no speech models needed)."""

from __future__ import annotations

import uuid
from datetime import datetime

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from parley.chat.models import Conversation
from parley.voice.audio import encode_audio
from parley.voice.models import VoiceRecording


async def add_recording(session: AsyncSession, bot: dict, *, conversation_id: uuid.UUID | None = None,
                        created_at: datetime | None = None, seconds: float = 0.5) -> VoiceRecording:
    """A visitor recording (a 440 Hz tone as ogg/opus), in a new voice conversation unless one is given."""
    org_id, bot_id = uuid.UUID(bot["org_id"]), uuid.UUID(bot["id"])
    if conversation_id is None:
        conversation = Conversation(org_id=org_id, bot_id=bot_id, channel="voice")
        session.add(conversation)
        await session.flush()
        conversation_id = conversation.id
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(int(16_000 * seconds)) / 16_000)).astype(np.float32)
    data = encode_audio(tone, 16_000, "opus")
    recording = VoiceRecording(org_id=org_id, bot_id=bot_id, conversation_id=conversation_id, speaker="visitor",
                               format="opus", duration_s=seconds, size_bytes=len(data), data=data)
    if created_at is not None:
        recording.created_at = created_at
    session.add(recording)
    await session.flush()
    return recording
