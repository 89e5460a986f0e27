"""What the app builds once at start-up and every request shares (one per process and event loop)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from parley.accounts.supabase import SupabaseVerifier
from parley.config import Settings
from parley.kit.db import Database
from parley.kit.ratelimit import RateLimiter
from parley.kit.security import JwtCodec, SecretBox


@dataclass
class Runtime:
    settings: Settings
    db: Database
    jwt: JwtCodec
    secret_box: SecretBox
    limiter: RateLimiter
    supabase: SupabaseVerifier | None


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime
