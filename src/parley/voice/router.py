from __future__ import annotations

import hmac
import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, WebSocket
from fastapi.responses import StreamingResponse

from parley.accounts.auth import Caller
from parley.bots.models import Bot
from parley.chat.access import chat_bot
from parley.chat.sse import encode
from parley.kit.errors import (
    AppError,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    Unprocessable,
    UnsupportedMediaType,
    error_responses,
)
from parley.kit.db import Session
from parley.kit.security import hash_token
from parley.knowledge.uploads import UploadReceiver
from parley.orgs.api_keys import API_KEY_PREFIX
from parley.orgs.repository import ApiKeyRepository
from parley.runtime import Runtime, get_runtime
from parley.voice.formats import CONTENT_TYPES
from parley.voice.models import AnswerAudio
from parley.voice.recordings import RecordingService
from parley.voice.schemas import RecordingList
from parley.voice.signing import sign_audio
from parley.widget.access import check_origin, own_origins, read_visitor_token

router = APIRouter(prefix="/api/v1", tags=["voice"])
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ERRORS = error_responses(400, 401, 403, 404, 413, 415, 422, 429)
REALTIME_INPUT_FORMATS = ("pcm16", "webm", "ogg")  # kept here: the router must not import PyAV
_AUDIO_ERRORS = {"unsupported_media": UnsupportedMediaType, "too_large": PayloadTooLarge,
                 "too_long": PayloadTooLarge, "empty": Unprocessable}


def audio_error(exc) -> AppError:
    return _AUDIO_ERRORS.get(exc.code, Unprocessable)(exc.message, code=exc.code)


async def read_audio(request: Request, runtime: Runtime):
    """The uploaded audio as 16 kHz mono PCM, plus the form's small fields."""
    from parley.voice.audio import AudioError, decode_to_pcm16k  # PyAV loads on first use
    settings = runtime.settings
    receiver = UploadReceiver(max_file_bytes=settings.voice_max_upload_mb * 1024 * 1024, max_files=1)
    try:
        [upload] = await receiver.receive(request, field_name="audio")
        try:
            pcm = decode_to_pcm16k(str(upload.path), max_seconds=settings.voice_max_seconds,
                                   max_bytes=settings.voice_max_upload_mb * 1024 * 1024)
        except AudioError as exc:
            raise audio_error(exc) from exc
    finally:
        receiver.cleanup()
    return pcm, receiver.fields


@router.post("/bots/{bot_id}/voice", operation_id="voiceChat", responses={
    **ERRORS, 200: {"content": {"text/event-stream": {}, "application/json": {}},
                    "description": "transcript, answer tokens and audio chunks (SSE), or one JSON answer"}},
    openapi_extra={"requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
        "audio": {"type": "string", "format": "binary"}, "conversation_id": {"type": "string"},
        "format": {"type": "string", "enum": ["mp3", "opus", "wav"]}}, "required": ["audio"]}}}}})
async def voice_chat(bot_id: uuid.UUID, request: Request, caller: Caller, runtime: RuntimeDep):
    """Speak to a bot: multipart `audio` (webm/ogg/opus, wav, mp3, m4a), optional `conversation_id` and
    `format` (mp3, opus, wav). Streams SSE unless `Accept: application/json`."""
    bot = await chat_bot(runtime, caller, bot_id)
    pcm, fields = await read_audio(request, runtime)
    fmt = fields.get("format", "mp3")
    if fmt not in CONTENT_TYPES:
        raise Unprocessable("format must be mp3, opus or wav.", code="invalid_format")
    try:
        conversation_id = uuid.UUID(fields["conversation_id"]) if fields.get("conversation_id") else None
    except ValueError as exc:
        raise Unprocessable("conversation_id is not a valid id.") from exc
    from parley.voice.turn import spoken_turn

    events = spoken_turn(runtime, bot, pcm, conversation_id=conversation_id, fmt=fmt)
    first = await anext(events)  # transcription errors become HTTP errors, not a broken stream
    if "application/json" in request.headers.get("accept", "") and "event-stream" not in request.headers.get(
            "accept", ""):
        return await _collect(first, events)

    async def body():
        yield encode(first)
        async for event in events:
            yield encode(event)

    return StreamingResponse(body(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})


async def _collect(first: dict, events) -> dict:
    answer, citations, result = "", [], {"transcript": first["text"]}
    async for event in events:
        if event["type"] == "token":
            answer += event["text"]
        elif event["type"] == "citations":
            citations = event["citations"]
        elif event["type"] in ("start", "done"):
            result["conversation_id"], result["message_id"] = event["conversation_id"], event["message_id"]
        elif event["type"] == "audio_done":
            result["audio_url"] = event["audio_url"]
        elif event["type"] == "error":
            raise AppError(event["message"], code=event["code"], status=502)
    return {**result, "answer": answer, "citations": citations}


@router.get("/voice/audio/{audio_id}", operation_id="getAnswerAudio", responses=error_responses(403, 404))
async def answer_audio(audio_id: uuid.UUID, runtime: RuntimeDep, expires: Annotated[int, Query()],
                       sig: Annotated[str, Query(max_length=128)]):
    """The spoken answer; the link is signed and expires (voice_audio_ttl_s)."""
    expected = sign_audio(runtime.settings.secret, audio_id, expires)
    if expires < time.time() or not hmac.compare_digest(expected, sig):
        raise NotFound("This audio link is invalid or has expired.", code="audio_not_found")
    async with runtime.db.session() as session:
        audio = await session.get(AnswerAudio, audio_id)
    if audio is None:
        raise NotFound("This audio link is invalid or has expired.", code="audio_not_found")
    return Response(audio.data, media_type=CONTENT_TYPES[audio.format],
                    headers={"Cache-Control": "private, max-age=3600"})


@router.get("/conversations/{conversation_id}/recordings", response_model=RecordingList,
            operation_id="listRecordings", responses=error_responses(401, 404))
async def list_recordings(conversation_id: uuid.UUID, caller: Caller, session: Session):
    """The spoken turns kept for a conversation (when the bot's `keep_recordings` is on), oldest first."""
    return await RecordingService(session).list(caller, conversation_id)


@router.get("/conversations/{conversation_id}/recordings/{recording_id}", operation_id="getRecording",
            responses={**error_responses(401, 404), 200: {"content": {t: {} for t in CONTENT_TYPES.values()},
                                                          "description": "The recorded audio"}})
async def get_recording(conversation_id: uuid.UUID, recording_id: uuid.UUID, caller: Caller, session: Session):
    """One recording's audio (ogg/opus for the visitor; the answer in the format it was sent)."""
    recording = await RecordingService(session).audio(caller, conversation_id, recording_id)
    return Response(recording.data, media_type=CONTENT_TYPES[recording.format],
                    headers={"Cache-Control": "private, no-store"})


@router.websocket("/bots/{bot_id}/voice/realtime")
async def realtime_voice(websocket: WebSocket, bot_id: uuid.UUID, token: str | None = None,
                         conversation_id: uuid.UUID | None = None, input_format: str = "pcm16"):
    """Realtime voice. `token`: a widget visitor token for this bot, or an org API key. `input_format`:
    `pcm16` (binary frames of PCM16 mono 16 kHz), or `webm` / `ogg` (MediaRecorder opus chunks). The
    server answers in PCM16 frames; JSON text frames carry events (see docs/voice.md)."""
    runtime: Runtime = websocket.app.state.runtime
    try:
        if input_format not in REALTIME_INPUT_FORMATS:
            raise Unprocessable("input_format must be pcm16, webm or ogg.", code="invalid_format")
        bot, visitor_id = await _realtime_caller(runtime, websocket, bot_id, token)
    except AppError as exc:
        await websocket.close(code=4000 + exc.status, reason=exc.message[:120])
        return
    from parley.voice.realtime import RealtimeSession  # VAD and audio stack load on first use

    await websocket.accept()
    await RealtimeSession(websocket, runtime, bot, visitor_id=visitor_id, conversation_id=conversation_id,
                          input_format=input_format).run()


async def _realtime_caller(runtime: Runtime, websocket: WebSocket, bot_id: uuid.UUID, token: str | None):
    if token and token.startswith(API_KEY_PREFIX):
        async with runtime.db.session() as session:
            key = await ApiKeyRepository(session).active_by_hash(hash_token(token))
            bot = await session.get(Bot, bot_id)
        if key is None:
            raise Unauthorized("The API key is invalid or has been revoked.", code="invalid_api_key")
        if bot is None or bot.org_id != key.org_id or not bot.enabled:
            raise NotFound("Bot not found.", code="bot_not_found")
        return bot, None
    visitor = read_visitor_token(runtime.jwt, token)
    async with runtime.db.session() as session:
        bot = await session.get(Bot, bot_id)
    if bot is None or bot.id != visitor.bot_id or not bot.enabled:
        raise NotFound("Bot not found.", code="bot_not_found")
    check_origin(bot, websocket.headers.get("origin"), own_origins(runtime.settings, str(websocket.base_url)))
    return bot, visitor.visitor_id
