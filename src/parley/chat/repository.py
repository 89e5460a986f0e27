"""All chat SQL. Conversations are reached through the caller's organizations or a visitor's bot."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.chat.models import Conversation, Lead, Message
from parley.kit.db import utcnow
from parley.orgs.repository import readable_by


def readable_conversations(caller: Principal) -> Select:
    return readable_by(caller, Conversation)


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, conversation: Conversation) -> Conversation:
        self.session.add(conversation)
        await self.session.flush()
        return conversation

    async def get_for_bot(self, bot_id: uuid.UUID, conversation_id: uuid.UUID,
                          visitor_id: str | None = None) -> Conversation | None:
        stmt = select(Conversation).where(Conversation.bot_id == bot_id, Conversation.id == conversation_id)
        if visitor_id is not None:
            stmt = stmt.where(Conversation.visitor_id == visitor_id)
        return await self.session.scalar(stmt)

    async def latest_for_visitor(self, bot_id: uuid.UUID, visitor_id: str) -> Conversation | None:
        return await self.session.scalar(select(Conversation).where(
            Conversation.bot_id == bot_id, Conversation.visitor_id == visitor_id)
            .order_by(Conversation.last_message_at.desc()).limit(1))

    async def get_readable(self, caller: Principal, conversation_id: uuid.UUID) -> Conversation | None:
        return await self.session.scalar(readable_conversations(caller).where(Conversation.id == conversation_id))

    async def list_for_bot(self, bot_id: uuid.UUID, *, needs_human: bool | None, feedback: str | None,
                           since: datetime | None, until: datetime | None, limit: int,
                           offset: int) -> tuple[list[Conversation], int]:
        stmt = select(Conversation).where(Conversation.bot_id == bot_id)
        if needs_human is not None:
            stmt = stmt.where(Conversation.needs_human == needs_human)
        if since is not None:
            stmt = stmt.where(Conversation.last_message_at >= since)
        if until is not None:
            stmt = stmt.where(Conversation.last_message_at < until)
        if feedback in ("positive", "negative", "any"):
            rated = select(Message.conversation_id).where(Message.feedback.is_not(None))
            if feedback != "any":
                rated = rated.where(Message.feedback == (1 if feedback == "positive" else -1))
            stmt = stmt.where(Conversation.id.in_(rated))
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self.session.scalars(stmt.order_by(Conversation.last_message_at.desc())
                                          .limit(limit).offset(offset))
        return list(rows), int(total)

    async def mark_needs_human(self, conversation_id: uuid.UUID, reason: str) -> None:
        await self.session.execute(update(Conversation).where(Conversation.id == conversation_id)
                                   .values(needs_human=True, handoff_reason=reason))

    async def touch(self, conversation_id: uuid.UUID, added: int) -> None:
        await self.session.execute(update(Conversation).where(Conversation.id == conversation_id).values(
            message_count=Conversation.message_count + added, last_message_at=utcnow()))

    async def delete(self, conversation: Conversation) -> None:
        await self.session.delete(conversation)
        await self.session.flush()


class MessageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, message: Message) -> Message:
        self.session.add(message)
        await self.session.flush()
        return message

    async def get(self, conversation_id: uuid.UUID, message_id: uuid.UUID) -> Message | None:
        return await self.session.scalar(select(Message).where(
            Message.conversation_id == conversation_id, Message.id == message_id))

    async def get_in_bot(self, bot_id: uuid.UUID, message_id: uuid.UUID) -> Message | None:
        return await self.session.scalar(select(Message).join(Conversation, Conversation.id == Message.conversation_id)
                                         .where(Conversation.bot_id == bot_id, Message.id == message_id))

    async def by_idempotency_key(self, conversation_id: uuid.UUID, key: str) -> Message | None:
        return await self.session.scalar(select(Message).where(
            Message.conversation_id == conversation_id, Message.idempotency_key == key))

    async def reply_to(self, message_id: uuid.UUID) -> Message | None:
        return await self.session.scalar(select(Message).where(Message.reply_to == message_id))

    async def history(self, conversation_id: uuid.UUID, *, limit: int = 200) -> list[Message]:
        rows = await self.session.scalars(select(Message).where(Message.conversation_id == conversation_id)
                                          .order_by(Message.created_at.desc()).limit(limit))
        return list(reversed(list(rows)))


class LeadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, **values) -> Lead:
        lead = Lead(**values)
        self.session.add(lead)
        await self.session.flush()
        return lead

    async def list_for_bot(self, bot_id: uuid.UUID, *, limit: int, offset: int) -> list[Lead]:
        rows = await self.session.scalars(select(Lead).where(Lead.bot_id == bot_id)
                                          .order_by(Lead.created_at.desc()).limit(limit).offset(offset))
        return list(rows)
