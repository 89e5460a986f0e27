"""An organization's own LLM provider keys (e.g. Groq): set, listed by hint, removed; encrypted at rest.

A bot of the organization uses the org's key for its provider when one is set, else the server's
key from the environment.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.audit.service import record
from parley.kit.db import utcnow
from parley.kit.errors import NotFound
from parley.kit.security import SecretBox
from parley.orgs.access import authorize
from parley.orgs.models import ProviderKey, Role
from parley.orgs.repository import ProviderKeyRepository
from parley.orgs.schemas import ProviderKeyOut


def _hint(api_key: str) -> str:
    return "…" + api_key[-4:]


class ProviderKeyService:
    def __init__(self, session: AsyncSession, box: SecretBox) -> None:
        self.session = session
        self.box = box
        self.keys = ProviderKeyRepository(session)

    async def list(self, caller: Principal, org_id: uuid.UUID) -> list[ProviderKeyOut]:
        await authorize(self.session, caller, org_id, Role.admin)
        return [ProviderKeyOut.model_validate(key) for key in await self.keys.list(org_id)]

    async def put(self, caller: Principal, org_id: uuid.UUID, provider: str, api_key: str) -> ProviderKeyOut:
        await authorize(self.session, caller, org_id, Role.admin)
        values = {"encrypted_key": self.box.encrypt(api_key), "hint": _hint(api_key),
                  "updated_by": caller.user_id, "updated_at": utcnow()}
        key = await self.keys.get(org_id, provider)
        if key is None:
            key = await self.keys.add(ProviderKey(org_id=org_id, provider=provider, **values))
        else:
            for name, value in values.items():
                setattr(key, name, value)
            await self.session.flush()
        record(self.session, "provider_key.set", actor=caller, org_id=org_id, target_type="provider_key",
               target_id=key.id, provider=provider)
        return ProviderKeyOut.model_validate(key)

    async def delete(self, caller: Principal, org_id: uuid.UUID, provider: str) -> None:
        await authorize(self.session, caller, org_id, Role.admin)
        key = await self.keys.get(org_id, provider)
        if key is None:
            raise NotFound(f"No {provider} key is set for this organization.", code="provider_key_not_found")
        await self.keys.delete(key)
        record(self.session, "provider_key.deleted", actor=caller, org_id=org_id, target_type="provider_key",
               target_id=key.id, provider=provider)


async def org_provider_key(session: AsyncSession, box: SecretBox, org_id: uuid.UUID, provider: str) -> str | None:
    """The org's own key for `provider`, decrypted, for a chat turn (no caller: the bot is already authorized)."""
    encrypted = await ProviderKeyRepository(session).encrypted_key(org_id, provider)
    return box.decrypt(encrypted) if encrypted else None
