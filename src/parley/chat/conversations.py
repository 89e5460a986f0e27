"""The team's view of conversations: list, transcript, delete, export, feedback, leads."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.audit.service import record
from parley.bots.repository import BotRepository
from parley.chat.repository import ConversationRepository, LeadRepository, MessageRepository
from parley.chat.schemas import ConversationList, ConversationOut, LeadList, LeadOut, MessageOut, Transcript
from parley.kit.errors import NotFound
from parley.orgs.access import authorize
from parley.orgs.models import Role

EXPORT_LIMIT = 5000


class ConversationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.conversations = ConversationRepository(session)
        self.messages = MessageRepository(session)

    async def _bot(self, caller: Principal, bot_id: uuid.UUID):
        bot = await BotRepository(self.session).get(caller, bot_id)
        if bot is None:
            raise NotFound("Bot not found.", code="bot_not_found")
        return bot

    async def _conversation(self, caller: Principal, conversation_id: uuid.UUID):
        conversation = await self.conversations.get_readable(caller, conversation_id)
        if conversation is None:
            raise NotFound("Conversation not found.", code="conversation_not_found")
        return conversation

    async def list(self, caller: Principal, bot_id: uuid.UUID, *, needs_human: bool | None, feedback: str | None,
                   since: datetime | None, until: datetime | None, limit: int, offset: int) -> ConversationList:
        await self._bot(caller, bot_id)
        rows, total = await self.conversations.list_for_bot(bot_id, needs_human=needs_human, feedback=feedback,
                                                            since=since, until=until, limit=limit, offset=offset)
        return ConversationList(conversations=[ConversationOut.model_validate(c) for c in rows], total=total)

    async def transcript(self, caller: Principal, conversation_id: uuid.UUID) -> Transcript:
        conversation = await self._conversation(caller, conversation_id)
        messages = await self.messages.history(conversation.id, limit=10_000)
        return Transcript(conversation=ConversationOut.model_validate(conversation),
                          messages=[MessageOut.model_validate(m) for m in messages])

    async def delete(self, caller: Principal, conversation_id: uuid.UUID) -> None:
        conversation = await self._conversation(caller, conversation_id)
        await authorize(self.session, caller, conversation.org_id, Role.admin)
        await self.conversations.delete(conversation)
        record(self.session, "conversation.deleted", actor=caller, org_id=conversation.org_id,
               target_type="conversation", target_id=conversation_id)

    async def export(self, caller: Principal, bot_id: uuid.UUID) -> list[Transcript]:
        await self._bot(caller, bot_id)
        rows, _ = await self.conversations.list_for_bot(bot_id, needs_human=None, feedback=None, since=None,
                                                        until=None, limit=EXPORT_LIMIT, offset=0)
        return [await self.transcript(caller, conversation.id) for conversation in rows]

    async def feedback(self, caller: Principal, conversation_id: uuid.UUID, message_id: uuid.UUID, rating: int,
                       comment: str | None) -> None:
        conversation = await self._conversation(caller, conversation_id)
        await set_feedback(self.messages, conversation.id, message_id, rating, comment)

    async def leads(self, caller: Principal, bot_id: uuid.UUID, *, limit: int, offset: int) -> LeadList:
        await self._bot(caller, bot_id)
        rows = await LeadRepository(self.session).list_for_bot(bot_id, limit=limit, offset=offset)
        return LeadList(leads=[LeadOut.model_validate(lead) for lead in rows])


async def set_feedback(messages: MessageRepository, conversation_id: uuid.UUID, message_id: uuid.UUID, rating: int,
                       comment: str | None) -> None:
    message = await messages.get(conversation_id, message_id)
    if message is None or message.role != "assistant":
        raise NotFound("Answer not found.", code="message_not_found")
    message.feedback, message.feedback_comment = rating, comment
