"""Organizations and their members."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.audit.service import record
from parley.kit.errors import BadRequest, Forbidden, NotFound
from parley.orgs.access import authorize
from parley.orgs.models import Organization, Role
from parley.orgs.repository import MemberRepository, OrgRepository
from parley.orgs.schemas import MemberOut, OrgOut


class OrgService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orgs = OrgRepository(session)

    async def create(self, caller: Principal, name: str) -> OrgOut:
        if not caller.is_user:
            raise Forbidden("API keys can't create organizations.")
        org = await self.orgs.add(Organization(name=name), owner_id=caller.user_id)
        record(self.session, "org.created", actor=caller, org_id=org.id, target_type="organization",
               target_id=org.id)
        return OrgOut(id=org.id, name=org.name, role="owner", created_at=org.created_at)

    async def list(self, caller: Principal) -> list[OrgOut]:
        return [OrgOut(id=org.id, name=org.name, role=role, created_at=org.created_at)
                for org, role in await self.orgs.list_with_roles(caller)]

    async def get(self, caller: Principal, org_id: uuid.UUID) -> OrgOut:
        role = await authorize(self.session, caller, org_id, Role.member)
        org = await self.orgs.get_readable(caller, org_id)
        return OrgOut(id=org.id, name=org.name, role=role.value, created_at=org.created_at)

    async def rename(self, caller: Principal, org_id: uuid.UUID, name: str) -> OrgOut:
        role = await authorize(self.session, caller, org_id, Role.admin)
        org = await self.orgs.get_readable(caller, org_id)
        org.name = name
        record(self.session, "org.renamed", actor=caller, org_id=org_id, target_type="organization",
               target_id=org_id, name=name)
        return OrgOut(id=org.id, name=org.name, role=role.value, created_at=org.created_at)


class MemberService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, caller: Principal, org_id: uuid.UUID) -> list[MemberOut]:
        await authorize(self.session, caller, org_id, Role.member)
        return [MemberOut(user_id=user.id, email=user.email, name=user.name, role=m.role, joined_at=m.created_at)
                for m, user in await MemberRepository(self.session, org_id).list()]

    async def change_role(self, caller: Principal, org_id: uuid.UUID, user_id: uuid.UUID, role: Role) -> MemberOut:
        my_role = await authorize(self.session, caller, org_id, Role.admin)
        members = MemberRepository(self.session, org_id)
        membership = await members.get(user_id)
        if membership is None:
            raise NotFound("Member not found.", code="member_not_found")
        # Only owners grant or take away ownership.
        if Role.owner in (role, Role(membership.role)) and my_role != Role.owner:
            raise Forbidden("Only an owner can grant or remove the owner role.")
        if membership.role == "owner" and role != Role.owner and await members.count_owners() <= 1:
            raise BadRequest("An organization needs at least one owner.", code="last_owner")
        previous = membership.role
        membership.role = role.value
        record(self.session, "member.role_changed", actor=caller, org_id=org_id, target_type="user",
               target_id=user_id, previous=previous, role=role.value)
        return await self._out(members, user_id)

    async def remove(self, caller: Principal, org_id: uuid.UUID, user_id: uuid.UUID) -> None:
        leaving_self = caller.is_user and caller.user_id == user_id
        my_role = await authorize(self.session, caller, org_id, Role.member if leaving_self else Role.admin)
        members = MemberRepository(self.session, org_id)
        membership = await members.get(user_id)
        if membership is None:
            raise NotFound("Member not found.", code="member_not_found")
        if membership.role == "owner":
            if my_role != Role.owner:
                raise Forbidden("Only an owner can remove an owner.")
            if await members.count_owners() <= 1:
                raise BadRequest("An organization needs at least one owner.", code="last_owner")
        await members.remove(membership)
        record(self.session, "member.removed", actor=caller, org_id=org_id, target_type="user", target_id=user_id)

    async def _out(self, members: MemberRepository, user_id: uuid.UUID) -> MemberOut:
        for membership, user in await members.list():
            if user.id == user_id:
                return MemberOut(user_id=user.id, email=user.email, name=user.name, role=membership.role,
                                 joined_at=membership.created_at)
        raise NotFound("Member not found.", code="member_not_found")
