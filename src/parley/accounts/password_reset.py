"""Forgotten passwords: a single-use link by email, valid for an hour.

The request answers the same whether or not the address has an account, so it reveals nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.models import PasswordReset
from parley.accounts.passwords import check_password_strength
from parley.accounts.repository import PasswordResetRepository, UserRepository
from parley.accounts.schemas import TokenPair
from parley.accounts.tokens import TokenIssuer
from parley.audit.service import record
from parley.jobs.queue import enqueue
from parley.kit.db import utcnow
from parley.kit.errors import BadRequest
from parley.kit.security import hash_password, hash_token, new_token
from parley.orgs.email_tasks import SEND_EMAIL
from parley.runtime import Runtime

log = logging.getLogger("parley.accounts")


class PasswordResetService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.settings = runtime.settings
        self.resets = PasswordResetRepository(session)
        self.tokens = TokenIssuer(session, runtime.jwt, access_ttl_s=self.settings.access_token_ttl_s,
                                  refresh_ttl_s=self.settings.refresh_token_ttl_s)

    async def request(self, email: str, ip: str) -> None:
        user = await UserRepository(self.session).by_email(email.lower())
        if user is None:
            return
        token = new_token()
        await self.resets.add(PasswordReset(user_id=user.id, token_hash=hash_token(token),
                                            expires_at=utcnow() + timedelta(seconds=self.settings.password_reset_ttl_s)))
        url = f"{self.settings.public_url.rstrip('/')}/reset/?token={token}"
        # Logged for self-hosters without SMTP; never returned by the API.
        log.info("password reset requested", extra={"user_id": str(user.id), "reset_url": url})
        if self.settings.smtp_host:
            await enqueue(self.session, SEND_EMAIL, to=user.email, subject="Reset your Parley password",
                          body=f"Someone asked to reset the password of your Parley account.\n\n"
                               f"Choose a new password (the link works once, for an hour): {url}\n\n"
                               f"If it wasn't you, ignore this email: your password stays as it is.\n")
        record(self.session, "auth.password_reset_requested", actor_user_id=user.id, ip=ip)

    async def confirm(self, token: str, new_password: str, ip: str) -> TokenPair:
        reset = await self.resets.by_hash_for_update(hash_token(token))
        if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
            raise BadRequest("This reset link is invalid, expired or already used. Ask for a new one.",
                             code="invalid_reset_token")
        user = await UserRepository(self.session).get(reset.user_id)
        check_password_strength(new_password, email=user.email)
        user.password_hash = hash_password(new_password)
        user.password_changed_at = reset.used_at = utcnow()
        # Any other outstanding link dies too, and every session ends.
        await self.resets.use_all_for_user(user.id, utcnow())
        await self.tokens.revoke_all(user.id)
        record(self.session, "auth.password_reset", actor_user_id=user.id, ip=ip)
        return await self.tokens.issue(user.id)
