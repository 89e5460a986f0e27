from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from parley.accounts.auth import Caller
from parley.chat.access import chat_bot
from parley.chat.conversations import ConversationService
from parley.chat.schemas import (
    ChatRequest,
    ChatResponse,
    ConversationList,
    FeedbackRequest,
    LeadList,
    Transcript,
)
from parley.chat.service import ChatService, TurnRequest
from parley.chat.sse import event_stream_response, wants_stream
from parley.kit.db import Session
from parley.kit.errors import error_responses
from parley.runtime import Runtime, get_runtime

router = APIRouter(prefix="/api/v1", tags=["chat"])
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ERRORS = error_responses(400, 401, 403, 404, 409, 422, 429)


@router.post("/bots/{bot_id}/chat", response_model=ChatResponse, operation_id="chat", responses={
    **ERRORS, 200: {"content": {"application/json": {}, "text/event-stream": {}},
                    "description": "The answer, or a stream of events (start, token, tool, citations, done, error)"}})
async def chat(bot_id: uuid.UUID, body: ChatRequest, request: Request, caller: Caller, runtime: RuntimeDep,
               idempotency_key: Annotated[str | None, Header(max_length=200)] = None):
    bot = await chat_bot(runtime, caller, bot_id)
    turn = TurnRequest(bot=bot, text=body.message, channel="api", conversation_id=body.conversation_id,
                       idempotency_key=idempotency_key)
    service = ChatService(runtime)
    if wants_stream(request.headers.get("accept"), body.stream):
        return await event_stream_response(service.stream(turn))
    return await service.answer(turn)


@router.get("/bots/{bot_id}/conversations", response_model=ConversationList, operation_id="listConversations",
            responses=ERRORS)
async def list_conversations(bot_id: uuid.UUID, caller: Caller, session: Session,
                             needs_human: bool | None = None,
                             feedback: Literal["positive", "negative", "any"] | None = None,
                             since: datetime | None = None, until: datetime | None = None,
                             limit: Annotated[int, Query(ge=1, le=200)] = 50,
                             offset: Annotated[int, Query(ge=0)] = 0):
    return await ConversationService(session).list(caller, bot_id, needs_human=needs_human, feedback=feedback,
                                                   since=since, until=until, limit=limit, offset=offset)


@router.get("/bots/{bot_id}/conversations/export", response_model=list[Transcript],
            operation_id="exportConversations", responses=ERRORS)
async def export_conversations(bot_id: uuid.UUID, caller: Caller, session: Session):
    transcripts = await ConversationService(session).export(caller, bot_id)
    return Response(content="[" + ",".join(t.model_dump_json() for t in transcripts) + "]",
                    media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="conversations-{bot_id}.json"'})


@router.get("/conversations/{conversation_id}", response_model=Transcript, operation_id="getConversation",
            responses=ERRORS)
async def get_conversation(conversation_id: uuid.UUID, caller: Caller, session: Session):
    return await ConversationService(session).transcript(caller, conversation_id)


@router.delete("/conversations/{conversation_id}", status_code=204, operation_id="deleteConversation",
               responses=ERRORS)
async def delete_conversation(conversation_id: uuid.UUID, caller: Caller, session: Session):
    await ConversationService(session).delete(caller, conversation_id)
    return Response(status_code=204)


@router.post("/conversations/{conversation_id}/messages/{message_id}/feedback", status_code=204,
             operation_id="giveFeedback", responses=ERRORS)
async def feedback(conversation_id: uuid.UUID, message_id: uuid.UUID, body: FeedbackRequest, caller: Caller,
                   session: Session):
    await ConversationService(session).feedback(caller, conversation_id, message_id, body.rating, body.comment)
    return Response(status_code=204)


@router.get("/bots/{bot_id}/leads", response_model=LeadList, operation_id="listLeads", responses=ERRORS)
async def list_leads(bot_id: uuid.UUID, caller: Caller, session: Session,
                     limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0)] = 0):
    return await ConversationService(session).leads(caller, bot_id, limit=limit, offset=offset)
