"""Bots, always reached through the caller's organizations."""

from __future__ import annotations

import uuid

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.bots.models import Bot
from parley.orgs.repository import readable_by


def readable_bots(caller: Principal) -> Select:
    return readable_by(caller, Bot)


class BotRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, caller: Principal, org_id: uuid.UUID | None) -> list[Bot]:
        stmt = readable_bots(caller)
        if org_id is not None:
            stmt = stmt.where(Bot.org_id == org_id)
        return list(await self.session.scalars(stmt.order_by(Bot.created_at.desc())))

    async def get(self, caller: Principal, bot_id: uuid.UUID, *, for_update: bool = False) -> Bot | None:
        stmt = readable_bots(caller).where(Bot.id == bot_id)
        if for_update:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def add(self, bot: Bot) -> Bot:
        self.session.add(bot)
        await self.session.flush()
        return bot

    async def delete(self, bot: Bot) -> None:
        await self.session.delete(bot)
        await self.session.flush()
