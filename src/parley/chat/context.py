"""What the tools of one chat turn share (kept free of LangChain so importing it stays cheap)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from parley.bots.models import Bot
from parley.bots.schemas import BotConfig
from parley.knowledge.search import Hit
from parley.runtime import Runtime


@dataclass
class TurnContext:
    """What tools of one turn share, and what they leave behind for the stored message."""

    runtime: Runtime
    bot: Bot
    config: BotConfig
    conversation_id: uuid.UUID
    hits: list[Hit] = field(default_factory=list)
    lead_requested: bool = False
