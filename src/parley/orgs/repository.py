"""Every statement starts from what the caller may read; other organizations are invisible."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.models import User
from parley.accounts.principal import Principal
from parley.orgs.models import ApiKey, Invitation, Membership, Organization, ProviderKey


def readable_by(caller: Principal, model) -> Select:
    """Rows of `model` (which has an org_id) in the caller's organizations: the key's one, or the user's."""
    if caller.kind == "api_key":
        return select(model).where(model.org_id == caller.key_org_id)
    return select(model).where(model.org_id.in_(select(Membership.org_id).where(Membership.user_id == caller.user_id)))


def readable_orgs(caller: Principal) -> Select:
    if caller.kind == "api_key":
        return select(Organization).where(Organization.id == caller.key_org_id)
    return (select(Organization)
            .join(Membership, Membership.org_id == Organization.id)
            .where(Membership.user_id == caller.user_id))


class OrgRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_with_roles(self, caller: Principal) -> list[tuple[Organization, str]]:
        if caller.kind == "api_key":
            org = await self.session.scalar(readable_orgs(caller))
            return [(org, caller.key_role.value)] if org else []
        rows = await self.session.execute(
            select(Organization, Membership.role)
            .join(Membership, Membership.org_id == Organization.id)
            .where(Membership.user_id == caller.user_id)
            .order_by(Organization.created_at))
        return [(org, role) for org, role in rows]

    async def get_readable(self, caller: Principal, org_id: uuid.UUID) -> Organization | None:
        return await self.session.scalar(readable_orgs(caller).where(Organization.id == org_id))

    async def role_of(self, caller: Principal, org_id: uuid.UUID) -> str | None:
        if caller.kind == "api_key":
            return caller.key_role.value if caller.key_org_id == org_id else None
        return await self.session.scalar(select(Membership.role).where(
            Membership.org_id == org_id, Membership.user_id == caller.user_id))

    async def add(self, org: Organization, owner_id: uuid.UUID) -> Organization:
        self.session.add(org)
        await self.session.flush()
        self.session.add(Membership(org_id=org.id, user_id=owner_id, role="owner"))
        await self.session.flush()
        return org


class MemberRepository:
    """Members of one organization the caller has already been authorized for."""

    def __init__(self, session: AsyncSession, org_id: uuid.UUID) -> None:
        self.session = session
        self.org_id = org_id

    async def list(self) -> list[tuple[Membership, User]]:
        rows = await self.session.execute(
            select(Membership, User).join(User, User.id == Membership.user_id)
            .where(Membership.org_id == self.org_id).order_by(Membership.created_at))
        return [(membership, user) for membership, user in rows]

    async def get(self, user_id: uuid.UUID) -> Membership | None:
        return await self.session.scalar(select(Membership).where(
            Membership.org_id == self.org_id, Membership.user_id == user_id).with_for_update())

    async def count_owners(self) -> int:
        return await self.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.org_id == self.org_id, Membership.role == "owner"))

    async def add(self, user_id: uuid.UUID, role: str) -> Membership:
        membership = Membership(org_id=self.org_id, user_id=user_id, role=role)
        self.session.add(membership)
        await self.session.flush()
        return membership

    async def remove(self, membership: Membership) -> None:
        await self.session.delete(membership)
        await self.session.flush()


class InvitationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, invitation: Invitation) -> Invitation:
        self.session.add(invitation)
        await self.session.flush()
        return invitation

    async def list_pending(self, org_id: uuid.UUID, now: datetime) -> list[Invitation]:
        result = await self.session.scalars(select(Invitation).where(
            Invitation.org_id == org_id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
            Invitation.expires_at > now).order_by(Invitation.created_at.desc()))
        return list(result)

    async def get_in_org(self, org_id: uuid.UUID, invitation_id: uuid.UUID) -> Invitation | None:
        return await self.session.scalar(select(Invitation).where(
            Invitation.org_id == org_id, Invitation.id == invitation_id))

    async def by_token_hash_for_update(self, token_hash: str) -> Invitation | None:
        # Looked up by secret token: the token itself is the proof of access.
        return await self.session.scalar(
            select(Invitation).where(Invitation.token_hash == token_hash).with_for_update())


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, key: ApiKey) -> ApiKey:
        self.session.add(key)
        await self.session.flush()
        return key

    async def list(self, org_id: uuid.UUID) -> list[ApiKey]:
        result = await self.session.scalars(
            select(ApiKey).where(ApiKey.org_id == org_id).order_by(ApiKey.created_at.desc()))
        return list(result)

    async def get_in_org(self, org_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey | None:
        return await self.session.scalar(select(ApiKey).where(ApiKey.org_id == org_id, ApiKey.id == key_id))

    async def active_by_hash(self, key_hash: str) -> ApiKey | None:
        return await self.session.scalar(
            select(ApiKey).where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None)))

    async def touch(self, key_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=now))


class ProviderKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, org_id: uuid.UUID) -> list[ProviderKey]:
        return list(await self.session.scalars(
            select(ProviderKey).where(ProviderKey.org_id == org_id).order_by(ProviderKey.provider)))

    async def get(self, org_id: uuid.UUID, provider: str) -> ProviderKey | None:
        return await self.session.scalar(
            select(ProviderKey).where(ProviderKey.org_id == org_id, ProviderKey.provider == provider))

    async def encrypted_key(self, org_id: uuid.UUID, provider: str) -> str | None:
        return await self.session.scalar(select(ProviderKey.encrypted_key).where(
            ProviderKey.org_id == org_id, ProviderKey.provider == provider))

    async def add(self, key: ProviderKey) -> ProviderKey:
        self.session.add(key)
        await self.session.flush()
        return key

    async def delete(self, key: ProviderKey) -> None:
        await self.session.delete(key)
        await self.session.flush()
