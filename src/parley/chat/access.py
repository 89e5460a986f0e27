"""The one check before any chat turn by a team member or API key (text, voice, OpenAI-compatible)."""

from __future__ import annotations

import uuid

from parley.accounts.principal import Principal
from parley.bots.models import Bot
from parley.bots.repository import BotRepository
from parley.kit.errors import NotFound
from parley.runtime import Runtime


async def chat_bot(runtime: Runtime, caller: Principal, bot_id: uuid.UUID) -> Bot:
    """The caller's enabled bot (404 otherwise), after the per-bot rate limit."""
    async with runtime.db.reader() as session:  # reads only: no BEGIN/COMMIT round trips
        # Only bots of the caller's own organizations are found, and any member may chat with them
        # (member is the lowest role): no separate role check is needed.
        bot = await BotRepository(session).get(caller, bot_id)
        if bot is None or not bot.enabled:
            raise NotFound("Bot not found.", code="bot_not_found")
    await runtime.limiter.check("chat_bot", str(bot.id), runtime.settings.rate_limit_chat_bot)
    return bot
