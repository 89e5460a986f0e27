"""Organization API keys: shown once, stored as a digest, revocable."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.accounts.schemas import ApiKeyIdentity
from parley.audit.service import record
from parley.kit.db import utcnow
from parley.kit.errors import Forbidden, NotFound
from parley.kit.security import hash_token, new_token
from parley.orgs.access import authorize
from parley.orgs.models import ApiKey, Role
from parley.orgs.repository import ApiKeyRepository
from parley.orgs.schemas import ApiKeyCreated, ApiKeyOut

API_KEY_PREFIX = "prl_"
VISIBLE_PREFIX_LENGTH = 12


class ApiKeyService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.keys = ApiKeyRepository(session)

    async def create(self, caller: Principal, org_id: uuid.UUID, name: str, role: Role) -> ApiKeyCreated:
        my_role = await authorize(self.session, caller, org_id, Role.admin)
        if not my_role.at_least(role):
            raise Forbidden("A key can't have more rights than the person creating it.")
        secret = API_KEY_PREFIX + new_token(32)
        key = await self.keys.add(ApiKey(
            org_id=org_id, name=name, prefix=secret[:VISIBLE_PREFIX_LENGTH], key_hash=hash_token(secret),
            role=role.value, created_by=caller.user_id))
        record(self.session, "api_key.created", actor=caller, org_id=org_id, target_type="api_key",
               target_id=key.id, name=name, role=role.value)
        return ApiKeyCreated(**ApiKeyOut.model_validate(key).model_dump(), key=secret)

    async def list(self, caller: Principal, org_id: uuid.UUID) -> list[ApiKeyOut]:
        await authorize(self.session, caller, org_id, Role.admin)
        return [ApiKeyOut.model_validate(key) for key in await self.keys.list(org_id)]

    async def revoke(self, caller: Principal, org_id: uuid.UUID, key_id: uuid.UUID) -> None:
        await authorize(self.session, caller, org_id, Role.admin)
        key = await self.keys.get_in_org(org_id, key_id)
        if key is None:
            raise NotFound("API key not found.", code="api_key_not_found")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
            record(self.session, "api_key.revoked", actor=caller, org_id=org_id, target_type="api_key",
                   target_id=key.id, name=key.name)

    async def identity(self, caller: Principal) -> ApiKeyIdentity:
        key = await self.keys.get_in_org(caller.key_org_id, caller.api_key_id)
        return ApiKeyIdentity(id=key.id, name=key.name, prefix=key.prefix, role=key.role)
