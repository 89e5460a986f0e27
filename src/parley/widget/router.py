"""Public widget endpoints. Browsers reach them cross-origin: each checks the bot's allowed origins."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from parley.chat.service import ChatService, TurnRequest
from parley.chat.sse import event_stream_response
from parley.kit.db import Session
from parley.kit.errors import AppError, error_responses
from parley.runtime import Runtime, get_runtime
from parley.widget.access import (
    Visitor,
    bot_by_public_key,
    check_embedder,
    check_origin,
    cors_headers,
    error_cors,
    own_origins,
    read_visitor_token,
    visitor_bot,
)
from parley.widget.schemas import (
    NewConversation,
    SessionRequest,
    SessionResponse,
    WidgetChatRequest,
    WidgetConfig,
    WidgetConversation,
    WidgetFeedback,
    WidgetHandoff,
    WidgetLead,
)
from parley.widget.service import WidgetService, public_config

router = APIRouter(prefix="/api/v1/widget", tags=["widget"])
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ERRORS = error_responses(401, 403, 404, 422, 429)
WS_IDLE_TIMEOUT_S = 300
WS_MAX_BAD_FRAMES = 3
WS_MAX_FRAME_CHARS = 64_000


def _origin(request: Request) -> str | None:
    return request.headers.get("origin")


async def visitor_from_header(request: Request, runtime: RuntimeDep,
                              authorization: Annotated[str | None, Header()] = None) -> Visitor:
    token = (authorization or "").removeprefix("Bearer ").strip() or None
    try:
        return read_visitor_token(runtime.jwt, token)
    except AppError as exc:
        raise error_cors(exc, _origin(request)) from exc


VisitorDep = Annotated[Visitor, Depends(visitor_from_header)]


@router.options("/{path:path}", include_in_schema=False)
async def preflight(request: Request) -> Response:
    # The real request is checked against the bot's origins; preflight only announces what may be sent.
    return Response(status_code=204, headers={
        **cors_headers(_origin(request)), "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Authorization, Content-Type", "Access-Control-Max-Age": "600"})


@router.get("/config", response_model=WidgetConfig, operation_id="widgetConfig", responses=ERRORS)
async def config(request: Request, response: Response, session: Session, runtime: RuntimeDep,
                 key: Annotated[str, Query(min_length=4, max_length=64)],
                 host: Annotated[str | None, Query(max_length=300, description=(
                     "The page origin the chat frame is embedded in (checked when the Origin header "
                     "is missing or is Parley's own)."))] = None):
    try:
        bot = await bot_by_public_key(session, key)
        check_embedder(bot, _origin(request), host, own_origins(runtime.settings, str(request.base_url)))
    except AppError as exc:
        raise error_cors(exc, _origin(request)) from exc
    response.headers.update({**cors_headers(_origin(request)), "Cache-Control": "public, max-age=60"})
    return public_config(bot)


@router.post("/session", response_model=SessionResponse, operation_id="widgetSession", responses=ERRORS)
async def start_session(body: SessionRequest, request: Request, response: Response, session: Session,
                        runtime: RuntimeDep):
    origin = _origin(request)
    try:
        bot = await bot_by_public_key(session, body.key)
        check_origin(bot, origin, own_origins(runtime.settings, str(request.base_url)))
        result = await WidgetService(session, runtime).start_session(bot, body)
    except AppError as exc:
        raise error_cors(exc, origin) from exc
    response.headers.update(cors_headers(origin))
    return result


@router.get("/conversation", response_model=WidgetConversation, operation_id="widgetConversation",
            responses=ERRORS)
async def current_conversation(visitor: VisitorDep, request: Request, response: Response, session: Session,
                               runtime: RuntimeDep):
    response.headers.update(cors_headers(_origin(request)))
    return await WidgetService(session, runtime).current_conversation(visitor)


@router.post("/conversation", response_model=NewConversation, operation_id="widgetNewConversation",
             responses=ERRORS)
async def new_conversation(visitor: VisitorDep, request: Request, response: Response, session: Session,
                           runtime: RuntimeDep):
    response.headers.update(cors_headers(_origin(request)))
    return NewConversation(conversation_id=await WidgetService(session, runtime).new_conversation(visitor))


async def _turn(runtime: Runtime, visitor: Visitor, body: WidgetChatRequest) -> TurnRequest:
    async with runtime.db.session() as session:
        bot = await visitor_bot(session, visitor)
    settings = runtime.settings
    await runtime.limiter.check("chat_visitor", f"{bot.id}:{visitor.visitor_id}", settings.rate_limit_chat_visitor)
    await runtime.limiter.check("chat_bot", str(bot.id), settings.rate_limit_chat_bot)
    return TurnRequest(bot=bot, text=body.message, channel="widget", conversation_id=body.conversation_id,
                       visitor_id=visitor.visitor_id, client_id=body.client_id,
                       idempotency_key=body.client_id)


@router.post("/chat", operation_id="widgetChat", responses={
    **ERRORS, 200: {"content": {"text/event-stream": {}}, "description": "Chat events, as on the WebSocket"}})
async def chat_sse(body: WidgetChatRequest, visitor: VisitorDep, request: Request, runtime: RuntimeDep):
    try:
        turn = await _turn(runtime, visitor, body)
        streaming = await event_stream_response(ChatService(runtime).stream(turn))
    except AppError as exc:
        raise error_cors(exc, _origin(request)) from exc
    streaming.headers.update(cors_headers(_origin(request)))
    return streaming


@router.post("/messages/{message_id}/feedback", status_code=204, operation_id="widgetFeedback", responses=ERRORS)
async def feedback(message_id: uuid.UUID, body: WidgetFeedback, visitor: VisitorDep, request: Request,
                   session: Session, runtime: RuntimeDep):
    await WidgetService(session, runtime).feedback(visitor, message_id, body.rating, body.comment)
    return Response(status_code=204, headers=cors_headers(_origin(request)))


@router.post("/leads", status_code=201, operation_id="widgetLead", responses=ERRORS)
async def lead(body: WidgetLead, visitor: VisitorDep, request: Request, session: Session, runtime: RuntimeDep):
    await WidgetService(session, runtime).lead(visitor, body.name, body.email, body.message)
    return Response(status_code=201, headers=cors_headers(_origin(request)))


@router.post("/handoff", status_code=202, operation_id="widgetHandoff", responses=ERRORS)
async def handoff(body: WidgetHandoff, visitor: VisitorDep, request: Request, session: Session,
                  runtime: RuntimeDep):
    await WidgetService(session, runtime).handoff(visitor, body.reason)
    return Response(status_code=202, headers=cors_headers(_origin(request)))


@router.websocket("/ws")
async def chat_socket(websocket: WebSocket, token: str | None = None):
    runtime: Runtime = websocket.app.state.runtime
    try:
        visitor = read_visitor_token(runtime.jwt, token)
        async with runtime.db.session() as session:
            bot = await visitor_bot(session, visitor)
            check_origin(bot, websocket.headers.get("origin"), own_origins(runtime.settings, str(websocket.base_url)))
    except AppError as exc:
        await websocket.close(code=4000 + exc.status, reason=exc.message[:120])
        return
    await websocket.accept()
    await _socket_loop(websocket, runtime, visitor)


async def _socket_loop(websocket: WebSocket, runtime: Runtime, visitor: Visitor) -> None:
    bad_frames = 0
    while True:
        try:
            raw = await asyncio.wait_for(websocket.receive_text(), timeout=WS_IDLE_TIMEOUT_S)
        except TimeoutError:
            await websocket.close(code=4408, reason="Closed after a long silence.")
            return
        except (WebSocketDisconnect, RuntimeError):
            return
        try:
            frame = json.loads(raw) if len(raw) <= WS_MAX_FRAME_CHARS else None
            if not isinstance(frame, dict):
                raise ValueError
        except ValueError:
            bad_frames += 1
            if bad_frames >= WS_MAX_BAD_FRAMES:
                await websocket.close(code=4400, reason="Too many malformed frames.")
                return
            await websocket.send_json({"type": "error", "code": "bad_frame", "message": "Send JSON frames."})
            continue
        if frame.get("type") == "ping":
            await websocket.send_json({"type": "pong"})
            continue
        if frame.get("type") != "message":
            await websocket.send_json({"type": "error", "code": "bad_frame", "message": "Unknown frame type."})
            continue
        try:
            body = WidgetChatRequest(message=frame.get("text") or "", conversation_id=frame.get("conversation_id"),
                                     client_id=frame.get("client_id"))
            turn = await _turn(runtime, visitor, body)
            async for event in ChatService(runtime).stream(turn):
                await websocket.send_json(event)
        except ValidationError:
            await websocket.send_json({"type": "error", "code": "validation_error",
                                       "message": "The message is empty or too long.",
                                       "client_id": frame.get("client_id")})
        except AppError as exc:
            event = {"type": "error", "code": exc.code, "message": exc.message, "client_id": frame.get("client_id")}
            if getattr(exc, "retry_after_s", None):
                event["retry_after"] = exc.retry_after_s
            await websocket.send_json(event)
        except WebSocketDisconnect:
            return
