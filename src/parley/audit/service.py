"""Record security-relevant actions in the caller's transaction."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.audit.models import AuditEvent
from parley.audit.repository import AuditRepository


def record(session: AsyncSession, action: str, *, actor: Principal | None = None,
           actor_user_id: uuid.UUID | None = None, org_id: uuid.UUID | None = None,
           target_type: str | None = None, target_id: object = None, ip: str | None = None,
           **data: Any) -> None:
    AuditRepository(session).add(AuditEvent(
        action=action, org_id=org_id,
        actor_user_id=actor.user_id if actor else actor_user_id,
        actor_api_key_id=actor.api_key_id if actor else None,
        target_type=target_type, target_id=str(target_id) if target_id is not None else None,
        ip=ip or (actor.ip if actor else None), data=data,
    ))
