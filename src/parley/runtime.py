"""What the app builds once at start-up and every request shares (one per process and event loop)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from parley.accounts.supabase import SupabaseVerifier
from parley.config import Settings
from parley.kit.db import Database
from parley.kit.ratelimit import RateLimiter
from parley.kit.security import JwtCodec, SecretBox
from parley.providers.embeddings import Embedder
from parley.providers.llm.registry import ChatModelRegistry
from parley.voice.providers import VoiceProviders


@dataclass
class Runtime:
    settings: Settings
    db: Database
    jwt: JwtCodec
    secret_box: SecretBox
    limiter: RateLimiter
    supabase: SupabaseVerifier | None
    embedder: Embedder
    chat_models: ChatModelRegistry
    voice: VoiceProviders

    @property
    def embedder_name(self) -> str:
        return self.embedder.name

    @property
    def embedder_dim(self) -> int:
        return self.embedder.dim


async def get_runtime(request: Request) -> Runtime:
    # async on purpose: FastAPI runs plain-def dependencies in a thread pool, a hop per request.
    return request.app.state.runtime
