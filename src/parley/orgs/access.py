"""Authorization for organization-scoped actions."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.kit.errors import Forbidden, NotFound
from parley.orgs.models import Role
from parley.orgs.repository import OrgRepository


async def authorize(session: AsyncSession, caller: Principal, org_id: uuid.UUID, minimum: Role) -> Role:
    """The caller's role in the org; 404 if they can't see it at all, 403 if their role is too low."""
    role = await OrgRepository(session).role_of(caller, org_id)
    if role is None:
        # Same answer for "doesn't exist" and "not yours": ids of other tenants leak nothing.
        raise NotFound("Organization not found.", code="org_not_found")
    granted = Role(role)
    if not granted.at_least(minimum):
        raise Forbidden(f"This needs the {minimum.value} role or higher in this organization.")
    return granted
