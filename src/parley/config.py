"""Settings, read from the environment (PARLEY_ prefix) and an optional .env file.

Secrets never have a usable default: in development a random secret is generated
once and kept in the data directory; in production an explicit one is required.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PARLEY_", env_file=".env", extra="ignore", env_nested_delimiter="__",
        hide_input_in_errors=True,  # a rejected value may be a secret: keep it out of logs
    )

    env: Literal["dev", "test", "production"] = "dev"
    data_dir: Path = Path(".parley")
    # DATABASE_URL without prefix is the common convention (Supabase, Render, Heroku).
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("PARLEY_DATABASE_URL", "DATABASE_URL")
    )
    public_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr | None = None

    # Auth
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 30 * 24 * 3600
    invitation_ttl_s: int = 7 * 24 * 3600
    password_reset_ttl_s: int = 3600
    supabase_jwt_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("PARLEY_SUPABASE_JWT_SECRET", "SUPABASE_JWT_SECRET")
    )
    supabase_url: str | None = Field(
        default=None, validation_alias=AliasChoices("PARLEY_SUPABASE_URL", "SUPABASE_URL")
    )
    supabase_jwt_audience: str = "authenticated"
    # The project's public key (legacy "anon" JWT or "sb_publishable_..."): with supabase_url set, the
    # dashboard signs in through Supabase. It is shown to browsers, so a secret key is refused.
    supabase_anon_key: str | None = Field(
        default=None, validation_alias=AliasChoices("PARLEY_SUPABASE_ANON_KEY", "SUPABASE_ANON_KEY",
                                                    "SUPABASE_PUBLISHABLE_KEY")
    )

    @field_validator("supabase_url")
    @classmethod
    def _supabase_url_is_http(cls, value: str | None) -> str | None:
        return check_supabase_url(value)

    @field_validator("supabase_anon_key")
    @classmethod
    def _supabase_anon_key_is_public(cls, value: str | None) -> str | None:
        return check_public_supabase_key(value)

    # Rate limits, in the `limits` library's notation ("10/minute", "600 per 1 minute").
    rate_limit_auth: str = "20/minute"
    rate_limit_api: str = "1200/minute"
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("PARLEY_REDIS_URL", "REDIS_URL")
    )

    # Outgoing mail; invitations are logged and returned when SMTP is not set.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "Parley <no-reply@localhost>"
    smtp_starttls: bool = True

    # Knowledge
    embeddings_provider: Literal["local", "openai-compatible"] = "local"
    embeddings_base_url: str | None = None
    embeddings_api_key: SecretStr | None = None
    embeddings_model: str | None = None
    embeddings_dim: int | None = None
    embeddings_threads: int | None = None
    models_dir: Path | None = None  # converted model graphs; default: <data_dir>/models
    chunk_max_tokens: int = 220
    # No overlap by default: chunks already end at sentence or paragraph breaks, and on SciFact's train
    # split overlap lowered hybrid nDCG@10 (0.7331 with none, 0.7309 with 16, 0.7245 with 32).
    chunk_overlap_tokens: int = 0
    upload_max_mb: int = 25
    upload_max_files: int = 20
    text_source_max_chars: int = 500_000
    parse_timeout_s: int = 120
    parse_max_memory_mb: int = 1536
    crawl_max_pages: int = 200
    crawl_max_depth: int = 4
    crawl_max_total_mb: int = 50
    fetch_timeout_s: int = 15
    # Networks that URL fetching may reach despite the SSRF guard (self-hosted intranets, tests).
    allow_private_networks: list[str] = Field(default_factory=list)

    # Google Drive: OAuth client (for "Connect with Google"; service-account keys work without it),
    # Google's endpoints (overridable for tests and proxies) and the size of what one source may sync.
    google_client_id: str | None = None
    google_client_secret: SecretStr | None = None
    google_redirect_uri: str | None = None  # default: {public_url}/api/v1/drive/oauth/callback
    google_auth_uri: str = "https://accounts.google.com/o/oauth2/v2/auth"
    google_token_uri: str = "https://oauth2.googleapis.com/token"
    google_drive_api_endpoint: str | None = None  # None: Google's own
    drive_max_files: int = 1000
    drive_max_file_mb: int = 25
    drive_oauth_state_ttl_s: int = 600

    @property
    def drive_redirect_uri(self) -> str:
        return self.google_redirect_uri or f"{self.public_url.rstrip('/')}/api/v1/drive/oauth/callback"

    # Chat
    groq_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("PARLEY_GROQ_API_KEY", "GROQ_API_KEY"))
    groq_base_url: str | None = None
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("PARLEY_OPENAI_API_KEY", "OPENAI_API_KEY"))
    llm_timeout_s: float = 30
    turn_timeout_s: float = 90
    rate_limit_chat_bot: str = "600/minute"
    rate_limit_chat_visitor: str = "20/minute"
    visitor_token_ttl_s: int = 30 * 60
    history_turns: int = 10

    # Voice
    deepgram_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("PARLEY_DEEPGRAM_API_KEY", "DEEPGRAM_API_KEY"))
    deepgram_base_url: str | None = None
    whisper_beam_size: int = 1
    voice_max_upload_mb: int = 10
    voice_max_seconds: int = 60
    voice_audio_ttl_s: int = 24 * 3600

    # Server
    workers: int = 1
    run_jobs_in_server: bool = True
    # Connections per process, opened on demand and kept. Requests beyond them wait up to
    # db_pool_timeout_s, then get a 503. Workers x pool size must stay under Postgres's max_connections.
    db_pool_size: int = 20
    db_pool_timeout_s: float = 10
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _refuse_missing_secrets_in_production(self) -> Settings:
        if self.env == "production" and self.secret_key is None:
            raise ValueError("PARLEY_SECRET_KEY must be set when PARLEY_ENV=production")
        return self

    @cached_property
    def secret(self) -> bytes:
        """The signing/encryption root secret."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        return _dev_secret(self.data_dir)


def _dev_secret(data_dir: Path) -> bytes:
    """A per-installation random secret, created on first use and kept private."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: when two processes race, both end up reading the winner's secret
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(48))
        except FileExistsError:
            pass
    return path.read_text().strip().encode()


def check_supabase_url(value: str | None) -> str | None:
    """An http(s) base URL such as https://<project>.supabase.co, kept without a trailing slash."""
    if not value or not value.strip():
        return None
    value = value.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError("SUPABASE_URL must be the project's http(s) URL, e.g. https://abcd.supabase.co")
    return value


def check_public_supabase_key(value: str | None) -> str | None:
    """Refuse a service-role or secret key where the public (anon/publishable) one belongs: it is sent
    to every browser, and a secret key there would hand out admin access to the Supabase project."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.startswith("sb_secret_") or _jwt_role(value) == "service_role":
        raise ValueError("SUPABASE_ANON_KEY holds a secret (service-role) key; use the anon or publishable key, "
                         "which is safe to show to browsers.")
    return value


def _jwt_role(token: str) -> str | None:
    """The `role` claim of a legacy Supabase API key (a JWT), read without verifying it."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    return payload.get("role") if isinstance(payload, dict) else None
