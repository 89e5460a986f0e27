"""Every statement is scoped to one organization the caller was authorized for."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from parley.knowledge.drive_connections.models import DriveConnection


class DriveConnectionRepository:
    def __init__(self, session: AsyncSession, org_id: uuid.UUID) -> None:
        self.session = session
        self.org_id = org_id

    def _base(self):
        return select(DriveConnection).where(DriveConnection.org_id == self.org_id)

    async def list(self) -> list[DriveConnection]:
        return list(await self.session.scalars(self._base().order_by(DriveConnection.created_at)))

    async def get(self, connection_id: uuid.UUID) -> DriveConnection | None:
        return await self.session.scalar(self._base().where(DriveConnection.id == connection_id))

    async def add(self, connection: DriveConnection) -> DriveConnection:
        connection.org_id = self.org_id
        self.session.add(connection)
        await self.session.flush()
        return connection

    async def delete(self, connection: DriveConnection) -> None:
        await self.session.delete(connection)
        await self.session.flush()
