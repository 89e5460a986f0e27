"""Widget use cases: public config, visitor sessions, the visitor's conversation, feedback, leads, handoff."""

from __future__ import annotations

import secrets
import uuid

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.ext.asyncio import AsyncSession

from parley.bots.models import Bot
from parley.bots.schemas import BotConfig
from parley.chat.conversations import set_feedback
from parley.chat.models import Conversation
from parley.chat.repository import ConversationRepository, LeadRepository, MessageRepository
from parley.kit.errors import Forbidden, NotFound, Unprocessable
from parley.runtime import Runtime
from parley.widget.access import Visitor, issue_visitor_token, verify_identity
from parley.widget.schemas import (
    SessionRequest,
    SessionResponse,
    WidgetBot,
    WidgetConfig,
    WidgetConversation,
    WidgetMessage,
)


def public_config(bot: Bot) -> WidgetConfig:
    config = BotConfig.model_validate(bot.config)
    return WidgetConfig(bot=WidgetBot(
        id=bot.id, name=bot.name, language=config.language, greeting=config.greeting,
        suggested_questions=config.suggested_questions, handoff_enabled=config.tools.handoff,
        lead_capture_enabled=config.tools.lead_capture, max_message_chars=config.limits.max_message_chars,
        appearance=config.appearance))


class WidgetService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime
        self.conversations = ConversationRepository(session)

    async def start_session(self, bot: Bot, body: SessionRequest) -> SessionResponse:
        visitor_id = body.visitor_id or "v_" + secrets.token_urlsafe(16)
        identity = body.identity
        if identity is not None and identity.hash:
            if not verify_identity(self.runtime.settings.secret, bot.id, identity.id, identity.hash):
                raise Forbidden("The identity hash does not match this user id.", code="identity_invalid")
            visitor_id = "u_" + identity.id  # verified: the same user finds their history on any device
        visitor = Visitor(bot_id=bot.id, org_id=bot.org_id, visitor_id=visitor_id[:100])
        latest = await self.conversations.latest_for_visitor(bot.id, visitor.visitor_id)
        if latest is not None and identity is not None:
            latest.visitor = {"id": identity.id, "name": identity.name, "email": identity.email,
                              "verified": bool(identity.hash)}
        ttl = self.runtime.settings.visitor_token_ttl_s
        return SessionResponse(token=issue_visitor_token(self.runtime.jwt, visitor, ttl), expires_in=ttl,
                               visitor_id=visitor.visitor_id, conversation_id=latest.id if latest else None)

    async def current_conversation(self, visitor: Visitor) -> WidgetConversation:
        latest = await self.conversations.latest_for_visitor(visitor.bot_id, visitor.visitor_id)
        if latest is None:
            return WidgetConversation(conversation_id=None, messages=[])
        messages = await MessageRepository(self.session).history(latest.id, limit=200)
        return WidgetConversation(conversation_id=latest.id, messages=[
            WidgetMessage(id=m.id, role=m.role, content=m.content, citations=m.citations, created_at=m.created_at,
                          feedback=m.feedback) for m in messages if m.status != "error"])

    async def new_conversation(self, visitor: Visitor) -> uuid.UUID:
        conversation = await self.conversations.add(Conversation(
            org_id=visitor.org_id, bot_id=visitor.bot_id, channel="widget", visitor_id=visitor.visitor_id))
        return conversation.id

    async def feedback(self, visitor: Visitor, message_id: uuid.UUID, rating: int, comment: str | None) -> None:
        message = await MessageRepository(self.session).get_in_bot(visitor.bot_id, message_id)
        conversation = message and await self.conversations.get_for_bot(visitor.bot_id, message.conversation_id,
                                                                        visitor.visitor_id)
        if conversation is None:
            raise NotFound("Answer not found.", code="message_not_found")
        await set_feedback(MessageRepository(self.session), conversation.id, message_id, rating, comment)

    async def lead(self, visitor: Visitor, name: str, email: str, message: str | None) -> None:
        try:
            address = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise Unprocessable("That email address doesn't look valid.", code="invalid_email") from exc
        latest = await self.conversations.latest_for_visitor(visitor.bot_id, visitor.visitor_id)
        await LeadRepository(self.session).add(org_id=visitor.org_id, bot_id=visitor.bot_id,
                                               conversation_id=latest.id if latest else None, name=name,
                                               email=address, message=message)

    async def handoff(self, visitor: Visitor, reason: str | None) -> None:
        latest = await self.conversations.latest_for_visitor(visitor.bot_id, visitor.visitor_id)
        if latest is None:
            latest = await self.conversations.add(Conversation(
                org_id=visitor.org_id, bot_id=visitor.bot_id, channel="widget", visitor_id=visitor.visitor_id))
        await self.conversations.mark_needs_human(latest.id, reason or "The visitor asked for a person.")
