from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.models import PasswordReset, RefreshToken, User
from parley.orgs.models import Membership, Organization

# Built once: composing a statement costs more than running it on the hot path of /me.
_USER_WITH_ORGS = (
    select(User.id, User.email, User.name, User.created_at,
           Organization.id.label("org_id"), Organization.name.label("org_name"), Membership.role)
    .outerjoin(Membership, Membership.user_id == User.id)
    .outerjoin(Organization, Organization.id == Membership.org_id)
    .where(User.id == bindparam("user_id"))
    .order_by(Organization.created_at))


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def with_organizations(self, user_id: uuid.UUID) -> list[Row]:
        """The user's columns once per organization (org columns None if in none), in one round trip."""
        return list(await self.session.execute(_USER_WITH_ORGS, {"user_id": user_id}))

    async def by_email(self, email: str) -> User | None:
        return await self.session.scalar(select(User).where(User.email == email.lower()))

    async def by_supabase_sub(self, sub: str) -> User | None:
        return await self.session.scalar(select(User).where(User.supabase_sub == sub))

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: RefreshToken) -> None:
        self.session.add(token)
        await self.session.flush()

    async def by_hash_for_update(self, token_hash: str) -> RefreshToken | None:
        # Row lock: two concurrent refreshes with the same token can't both succeed.
        return await self.session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update())

    async def revoke_family(self, family_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(update(RefreshToken).where(
            RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None)).values(revoked_at=now))

    async def revoke_all_for_user(self, user_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(update(RefreshToken).where(
            RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None)).values(revoked_at=now))


class PasswordResetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, reset: PasswordReset) -> None:
        self.session.add(reset)

    async def by_hash_for_update(self, token_hash: str) -> PasswordReset | None:
        # Row lock: two concurrent confirmations of one link can't both succeed.
        return await self.session.scalar(
            select(PasswordReset).where(PasswordReset.token_hash == token_hash).with_for_update())

    async def use_all_for_user(self, user_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(update(PasswordReset).where(
            PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None)).values(used_at=now))
