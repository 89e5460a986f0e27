"""Issue access tokens (JWT) and rotating refresh tokens (opaque, stored hashed)."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.models import RefreshToken
from parley.accounts.repository import RefreshTokenRepository
from parley.accounts.schemas import TokenPair
from parley.kit.db import utcnow
from parley.kit.errors import Unauthorized
from parley.kit.security import JwtCodec, hash_token, new_token

REFRESH_PREFIX = "prt_"


class TokenIssuer:
    def __init__(self, session: AsyncSession, jwt: JwtCodec, *, access_ttl_s: int, refresh_ttl_s: int) -> None:
        self.session = session
        self.jwt = jwt
        self.access_ttl_s = access_ttl_s
        self.refresh_ttl_s = refresh_ttl_s
        self.tokens = RefreshTokenRepository(session)

    async def issue(self, user_id: uuid.UUID, family_id: uuid.UUID | None = None) -> TokenPair:
        refresh = REFRESH_PREFIX + new_token()
        await self.tokens.add(RefreshToken(
            user_id=user_id, token_hash=hash_token(refresh), family_id=family_id or uuid.uuid4(),
            expires_at=utcnow() + timedelta(seconds=self.refresh_ttl_s)))
        access = self.jwt.encode(str(user_id), ttl_s=self.access_ttl_s)
        return TokenPair(access_token=access, refresh_token=refresh, expires_in=self.access_ttl_s)

    async def rotate(self, refresh_token: str) -> tuple[uuid.UUID, TokenPair]:
        now = utcnow()
        stored = await self.tokens.by_hash_for_update(hash_token(refresh_token))
        if stored is None or stored.expires_at <= now:
            raise Unauthorized("The refresh token is invalid or has expired.", code="invalid_refresh_token")
        if stored.revoked_at is not None or stored.used_at is not None:
            # A used token presented again means it was stolen: end the whole login.
            await self.tokens.revoke_family(stored.family_id, now)
            raise Unauthorized("The refresh token is invalid or has expired.", code="invalid_refresh_token",
                               keep_changes=True)
        stored.used_at = now
        return stored.user_id, await self.issue(stored.user_id, family_id=stored.family_id)

    async def revoke(self, refresh_token: str) -> uuid.UUID | None:
        stored = await self.tokens.by_hash_for_update(hash_token(refresh_token))
        if stored is None:
            return None
        await self.tokens.revoke_family(stored.family_id, utcnow())
        return stored.user_id

    async def revoke_all(self, user_id: uuid.UUID) -> None:
        await self.tokens.revoke_all_for_user(user_id, utcnow())
