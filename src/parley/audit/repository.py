from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from parley.audit.models import AuditEvent
from parley.orgs.models import Membership


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, event: AuditEvent) -> None:
        self.session.add(event)

    async def list_for_org(self, org_id: uuid.UUID, *, limit: int, before: datetime | None) -> list[AuditEvent]:
        """The org's own events, plus the sign-ins of its current members (account-level events)."""
        members = select(Membership.user_id).where(Membership.org_id == org_id)
        stmt = select(AuditEvent).where(or_(
            AuditEvent.org_id == org_id,
            and_(AuditEvent.org_id.is_(None), AuditEvent.actor_user_id.in_(members)),
        ))
        if before is not None:
            stmt = stmt.where(AuditEvent.created_at < before)
        result = await self.session.scalars(stmt.order_by(AuditEvent.created_at.desc()).limit(limit))
        return list(result)
