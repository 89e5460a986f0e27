"""One chat turn: store the question, run the agent, stream events, store the answer (even when cut short)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.exc import IntegrityError

from parley.bots.models import Bot
from parley.bots.schemas import BotConfig
from parley.chat.context import TurnContext
from parley.chat.models import Conversation, Message
from parley.chat.repository import ConversationRepository, MessageRepository
from parley.kit.errors import AppError, Conflict, NotFound, Unprocessable
from parley.orgs.provider_keys import org_provider_key
from parley.runtime import Runtime


@dataclass
class TurnRequest:
    bot: Bot
    text: str
    channel: str
    conversation_id: uuid.UUID | None = None
    visitor_id: str | None = None
    idempotency_key: str | None = None
    client_id: str | None = None
    # Given by clients that keep their own history (the OpenAI-compatible API); else read from the database.
    history: list[tuple[str, str]] | None = None
    # How an answer cut short is stored: "partial" (client went away) or "interrupted" (voice barge-in).
    cancelled_status: str = "partial"


class ChatService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.db = runtime.db

    async def stream(self, request: TurnRequest) -> AsyncIterator[dict[str, Any]]:
        """Events: start, token*, tool*, citations, lead_form?, done | error."""
        # LangChain is imported on the first turn, not at start-up: `parley serve` is ready sooner.
        from langchain_core.messages import HumanMessage

        from parley.chat.agent import TurnOutcome, citations_for, history_messages, run_agent, searched_first
        from parley.chat.tools import SEARCH_TOOL
        from parley.providers.llm.extractive_rules import resolve_follow_up
        config = BotConfig.model_validate(request.bot.config)
        text = without_nul(request.text).strip()
        if not text:
            raise Unprocessable("The message is empty.", code="empty_message")
        if len(text) > config.limits.max_message_chars:
            raise Unprocessable(f"The message is longer than {config.limits.max_message_chars} characters.",
                                code="message_too_long")
        # Three things that don't depend on each other start at once: storing the message, looking up
        # the model, and (search-first bots) searching with the visitor's message, which saves the
        # model a round trip. A short follow-up's query borrows words from the question before it.
        query = resolve_follow_up(text, self._earlier_questions(request) or [])
        search = self._search(request.bot, config, query) if config.retrieval.search_first else None
        models = asyncio.create_task(self._models(request.bot, config))
        try:
            # A conversation's earlier messages are read in the same transaction as the new one is stored.
            read_history = request.history is None and request.conversation_id is not None
            conversation, question, replay, earlier_rows = await self._store_question(request, text, read_history)
            if replay is not None:
                _drop(search, models)
                for event in _replay(conversation, replay, request.client_id):
                    yield event
                return
            if request.history is not None:
                history = history_messages(request.history)
            elif request.conversation_id is None:
                history = []  # a conversation started by this very message has nothing before it
            else:
                history = history_messages([(m.role, m.content) for m in earlier_rows if m.status != "error"])
                earlier = [m.text for m in history if isinstance(m, HumanMessage)]
                if search is not None and (resolved := resolve_follow_up(text, earlier)) != query:
                    _drop(search)
                    query, search = resolved, self._search(request.bot, config, resolved)
            ctx = TurnContext(runtime=self.runtime, bot=request.bot, config=config,
                              conversation_id=conversation.id)
            outcome = TurnOutcome()
            answer_id = uuid.uuid4()
            started = time.perf_counter()
            yield {"type": "start", "conversation_id": str(conversation.id), "message_id": str(answer_id),
                   "client_id": request.client_id}
        except BaseException:
            _drop(search, models)
            raise
        try:
            async with asyncio.timeout(self.runtime.settings.turn_timeout_s):
                model, fallback = await models
                messages = [*history, HumanMessage(text)]
                if search is not None:
                    yield {"type": "tool", "name": SEARCH_TOOL, "status": "started"}
                    ctx.hits = await search
                    messages += searched_first(query, ctx.hits, outcome)
                    yield {"type": "tool", "name": SEARCH_TOOL, "status": "done"}
                async with aclosing(run_agent(ctx, model, fallback, messages, outcome)) as events:
                    async for event in events:
                        yield event
        except (asyncio.CancelledError, GeneratorExit):
            outcome.status = request.cancelled_status  # keep what was said
            raise
        except TimeoutError:
            outcome.status = "error"
            yield _error("timeout", "The answer took too long. Please try again.")
        except AppError as exc:
            outcome.status = "error"
            yield _error(exc.code, exc.message)
        except Exception as exc:  # noqa: BLE001 - provider failures end the turn with a clear event
            outcome.status = "error"
            yield _error("provider_error", f"The assistant is unavailable right now ({type(exc).__name__}). "
                                           "Please try again in a moment.")
        finally:
            _drop(search, models)
            citations = citations_for(outcome.answer, ctx, config.fallback_message)
            latency = int((time.perf_counter() - started) * 1000)
            await asyncio.shield(self._store_answer(conversation, question, answer_id, outcome, citations, ctx,
                                                    latency))
        if outcome.status != "error":
            if citations:
                yield {"type": "citations", "citations": citations}
            yield {"type": "done", "conversation_id": str(conversation.id), "message_id": str(answer_id),
                   "usage": {"input_tokens": outcome.tokens_in, "output_tokens": outcome.tokens_out},
                   "status": outcome.status}

    async def answer(self, request: TurnRequest) -> dict[str, Any]:
        """The whole turn as one response (non-streaming clients)."""
        answer, citations, done = "", [], {}
        async for event in self.stream(request):
            if event["type"] == "token":
                answer += event["text"]
            elif event["type"] == "citations":
                citations = event["citations"]
            elif event["type"] == "done":
                done = event
            elif event["type"] == "error":
                raise AppError(event["message"], code=event["code"], status=502)
        return {"answer": answer, "citations": citations, "conversation_id": done.get("conversation_id"),
                "message_id": done.get("message_id"), "usage": done.get("usage", {})}

    @staticmethod
    def _earlier_questions(request: TurnRequest) -> list[str] | None:
        """The visitor's earlier messages when known without reading the history, else None."""
        if request.history is not None:
            return [text for role, text in request.history if role == "user"]
        return [] if request.conversation_id is None else None

    def _search(self, bot: Bot, config: BotConfig, query: str) -> asyncio.Task:
        from parley.chat.tools import find_passages

        return asyncio.create_task(find_passages(self.runtime, bot, config, query))

    async def _models(self, bot: Bot, config: BotConfig):
        from parley.chat.agent import extractive_config, model_config

        settings = self.runtime.settings
        provider = config.model.provider
        api_key = None
        if provider != "extractive":
            # The organization's own key first, then the server's key from the environment.
            async with self.db.reader() as session:
                api_key = await org_provider_key(session, self.runtime.secret_box, bot.org_id, provider)
            secret = {"groq": settings.groq_api_key, "openai-compatible": settings.openai_api_key}.get(provider)
            api_key = api_key or (secret.get_secret_value() if secret else None)
        cfg = model_config(config, api_key=api_key, timeout_s=settings.llm_timeout_s)
        if provider == "groq" and settings.groq_base_url and cfg.base_url is None:
            cfg = replace(cfg, base_url=settings.groq_base_url)
        model = self.runtime.chat_models.get(cfg)
        fallback = None
        if provider != "extractive" and config.model.fallback_to_extractive:
            fallback = self.runtime.chat_models.get(extractive_config(config))
        return model, fallback

    async def _store_question(self, request: TurnRequest, text: str, read_history: bool):
        async with self.db.session() as session:
            conversations, messages = ConversationRepository(session), MessageRepository(session)
            conversation = None
            if request.conversation_id is not None:
                conversation = await conversations.get_for_bot(request.bot.id, request.conversation_id,
                                                               request.visitor_id)
                if conversation is None:
                    raise NotFound("Conversation not found.", code="conversation_not_found")
            else:
                conversation = await conversations.add(Conversation(
                    org_id=request.bot.org_id, bot_id=request.bot.id, channel=request.channel,
                    visitor_id=request.visitor_id, title=text[:200]))
            if request.idempotency_key:
                earlier = await messages.by_idempotency_key(conversation.id, request.idempotency_key)
                if earlier is not None:
                    reply = await messages.reply_to(earlier.id)
                    if reply is None:
                        raise Conflict("This message is still being answered.", code="in_progress")
                    return conversation, earlier, reply, []
            # Read before the new message is added, so it is not part of its own history.
            earlier_rows = (await messages.history(conversation.id, limit=self.runtime.settings.history_turns * 2)
                            if read_history else [])
            question = Message(org_id=request.bot.org_id, conversation_id=conversation.id, role="user", content=text,
                               idempotency_key=request.idempotency_key)
            if request.idempotency_key:
                try:  # a concurrent retry with the same key loses cleanly, as a 409
                    async with session.begin_nested():
                        question = await messages.add(question)
                except IntegrityError as exc:
                    raise Conflict("This message is still being answered.", code="in_progress") from exc
            else:
                question = await messages.add(question)
            await conversations.touch(conversation.id, 1)
        return conversation, question, None, earlier_rows

    async def _store_answer(self, conversation: Conversation, question: Message, answer_id: uuid.UUID,
                            outcome, citations: list, ctx: TurnContext, latency_ms: int) -> None:
        retrieved = [{"chunk_id": h.chunk_id, "source": h.source, "location": h.location, "score": h.score,
                      "relevance": h.relevance, "text": h.text[:500]} for h in ctx.hits]
        async with self.db.session() as session:
            await MessageRepository(session).add(Message(
                id=answer_id, org_id=conversation.org_id, conversation_id=conversation.id, role="assistant",
                content=without_nul(outcome.answer), status=outcome.status, citations=citations, tool_calls=outcome.tool_calls,
                retrieved=retrieved, tokens_in=outcome.tokens_in, tokens_out=outcome.tokens_out,
                latency_ms=latency_ms, model=outcome.model or None, reply_to=question.id))
            await ConversationRepository(session).touch(conversation.id, 1)


def _drop(*tasks: asyncio.Task | None) -> None:
    """Cancel tasks whose results are no longer wanted, and silence the errors they may have ended with."""
    for task in tasks:
        if task is None:
            continue
        if task.done():
            if not task.cancelled():
                task.exception()
        else:
            task.cancel()


def without_nul(text: str) -> str:
    """Postgres text can't hold NUL characters; nothing a visitor types may turn into a 500."""
    return text.replace("\x00", "")


def _error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message}


def _replay(conversation: Conversation, reply: Message, client_id: str | None):
    """A retried request with the same idempotency key gets the stored answer, not a second one."""
    yield {"type": "start", "conversation_id": str(conversation.id), "message_id": str(reply.id),
           "client_id": client_id, "replayed": True}
    if reply.content:
        yield {"type": "token", "text": reply.content}
    if reply.citations:
        yield {"type": "citations", "citations": reply.citations}
    yield {"type": "done", "conversation_id": str(conversation.id), "message_id": str(reply.id),
           "usage": {"input_tokens": reply.tokens_in, "output_tokens": reply.tokens_out}, "status": reply.status}
