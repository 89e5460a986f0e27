from __future__ import annotations

import hmac
import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from parley.accounts.auth import Caller
from parley.bots.repository import BotRepository
from parley.chat.sse import encode
from parley.kit.errors import (AppError, NotFound, PayloadTooLarge, Unprocessable, UnsupportedMediaType,
                               error_responses)
from parley.knowledge.uploads import UploadReceiver
from parley.orgs.access import authorize
from parley.orgs.models import Role
from parley.runtime import Runtime, get_runtime
from parley.voice.audio import CONTENT_TYPES, AudioError, decode_to_pcm16k
from parley.voice.models import AnswerAudio
from parley.voice.turn import sign_audio, spoken_turn

router = APIRouter(prefix="/api/v1", tags=["voice"])
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ERRORS = error_responses(400, 401, 403, 404, 413, 415, 422, 429)
_AUDIO_ERRORS = {"unsupported_media": UnsupportedMediaType, "too_large": PayloadTooLarge,
                 "too_long": PayloadTooLarge, "empty": Unprocessable}


def audio_error(exc: AudioError) -> AppError:
    return _AUDIO_ERRORS.get(exc.code, Unprocessable)(exc.message, code=exc.code)


async def read_audio(request: Request, runtime: Runtime):
    """The uploaded audio as 16 kHz mono PCM, plus the form's small fields."""
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
    async with runtime.db.session() as session:
        bot = await BotRepository(session).get(caller, bot_id)
        if bot is None or not bot.enabled:
            raise NotFound("Bot not found.", code="bot_not_found")
        await authorize(session, caller, bot.org_id, Role.member)
    await runtime.limiter.check("chat_bot", str(bot.id), runtime.settings.rate_limit_chat_bot)
    pcm, fields = await read_audio(request, runtime)
    fmt = fields.get("format", "mp3")
    if fmt not in CONTENT_TYPES:
        raise Unprocessable("format must be mp3, opus or wav.", code="invalid_format")
    try:
        conversation_id = uuid.UUID(fields["conversation_id"]) if fields.get("conversation_id") else None
    except ValueError as exc:
        raise Unprocessable("conversation_id is not a valid id.") from exc
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
