"""GET /api/v1/auth/config: how the dashboard signs people in (built-in accounts or Supabase Auth).

Public and read-only: it carries only what a browser needs anyway (the Supabase project URL and its
public anon/publishable key), never the JWT secret.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from parley.config import Settings
from parley.runtime import Runtime, get_runtime

router = APIRouter(prefix="/api/v1", tags=["auth"])


class SupabaseClientConfig(BaseModel):
    url: str = Field(description="The Supabase project URL, for createClient(url, anon_key).")
    anon_key: str = Field(description="The project's public anon (publishable) key.")


class AuthConfig(BaseModel):
    provider: Literal["parley", "supabase"] = Field(
        description="'supabase': sign in with the Supabase JS client and send its access token as the bearer. "
                    "'parley': use /api/v1/auth/login and /api/v1/auth/signup.")
    supabase: SupabaseClientConfig | None = None


def auth_config_of(settings: Settings) -> AuthConfig:
    # Both are needed for a browser to reach Supabase; with only a JWT secret the API still accepts
    # Supabase tokens (from another front end) while the dashboard keeps the built-in sign-in.
    if settings.supabase_url and settings.supabase_anon_key:
        return AuthConfig(provider="supabase",
                          supabase=SupabaseClientConfig(url=settings.supabase_url, anon_key=settings.supabase_anon_key))
    return AuthConfig(provider="parley")


@router.get("/auth/config", response_model=AuthConfig, operation_id="getAuthConfig")
async def get_auth_config(runtime: Annotated[Runtime, Depends(get_runtime)], response: Response) -> AuthConfig:
    response.headers["Cache-Control"] = "no-cache"
    return auth_config_of(runtime.settings)
