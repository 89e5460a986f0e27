"""OpenAI-compatible Chat Completions: `model` is a bot id, the bearer token an org API key.

Any OpenAI client (the official SDKs, LangChain, LibreChat...) can talk to a Parley bot unchanged.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field, ValidationError

from parley.accounts.auth import Caller
from parley.chat.access import chat_bot
from parley.chat.service import ChatService, TurnRequest
from parley.chat.sse import prepend
from parley.kit.errors import AppError, NotFound
from parley.runtime import Runtime, get_runtime

router = APIRouter(prefix="/v1", tags=["openai-compatible"])


class OpenAIMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict] | None = None


class CompletionRequest(BaseModel):
    model: str = Field(min_length=1, max_length=100)
    messages: list[OpenAIMessage] = Field(min_length=1, max_length=500)
    stream: bool = False
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1)
    user: str | None = Field(default=None, max_length=200)


def openai_error(status: int, message: str, *, type_: str = "invalid_request_error", code: str | None = None,
                 param: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": type_, "param": param, "code": code}},
                        status_code=status)


def _text(content: str | list[dict] | None) -> str:
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if part.get("type") == "text")
    return content or ""


@router.post("/chat/completions", operation_id="openaiChatCompletions")
async def chat_completions(request: Request, caller: Caller, runtime: Annotated[Runtime, Depends(get_runtime)]):
    try:
        body = CompletionRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        first = exc.errors()[0]
        return openai_error(400, f"{'.'.join(map(str, first['loc']))}: {first['msg']}",
                            param=str(first["loc"][0]) if first["loc"] else None)
    try:
        bot_id = uuid.UUID(body.model)
    except ValueError:
        return openai_error(404, f"The model '{body.model}' does not exist: use a bot id.", code="model_not_found")
    dialogue = [(m.role, _text(m.content)) for m in body.messages if m.role in ("user", "assistant")]
    if not dialogue or dialogue[-1][0] != "user" or not dialogue[-1][1].strip():
        return openai_error(400, "The last message must be a non-empty user message.", param="messages")
    try:
        bot = await chat_bot(runtime, caller, bot_id)
    except NotFound:
        return openai_error(404, f"The model '{body.model}' does not exist.", code="model_not_found")
    except AppError as exc:
        return openai_error(exc.status, exc.message, code=exc.code, type_="rate_limit_error"
                            if exc.status == 429 else "invalid_request_error")
    turn = TurnRequest(bot=bot, text=dialogue[-1][1], channel="openai", history=dialogue[:-1])
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    service = ChatService(runtime)
    if body.stream:
        events = service.stream(turn)
        try:
            first = await anext(events)
        except AppError as exc:
            return openai_error(exc.status, exc.message, code=exc.code)
        return StreamingResponse(_chunks(first, events, completion_id, created, body.model),
                                 media_type="text/event-stream", headers={"Cache-Control": "no-cache"})
    try:
        result = await service.answer(turn)
    except AppError as exc:
        return openai_error(exc.status, exc.message, code=exc.code, type_="api_error" if exc.status >= 500
                            else "invalid_request_error")
    usage = result["usage"]
    return {"id": completion_id, "object": "chat.completion", "created": created, "model": body.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": result["answer"]},
                         "finish_reason": "stop", "logprobs": None}],
            "usage": {"prompt_tokens": usage.get("input_tokens", 0), "completion_tokens": usage.get("output_tokens", 0),
                      "total_tokens": usage.get("input_tokens", 0) + usage.get("output_tokens", 0)},
            "citations": result["citations"]}


async def _chunks(first: dict, events: AsyncIterator[dict], completion_id: str, created: int,
                  model: str) -> AsyncIterator[bytes]:
    def chunk(delta: dict, finish: str | None = None) -> bytes:
        payload = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]}
        return f"data: {json.dumps(payload)}\n\n".encode()

    yield chunk({"role": "assistant", "content": ""})
    async with aclosing(events):
        async for event in prepend(first, events):
            if event["type"] == "token":
                yield chunk({"content": event["text"]})
            elif event["type"] == "error":
                error = {"error": {"message": event["message"], "type": "api_error", "code": event["code"]}}
                yield f"data: {json.dumps(error)}\n\n".encode()
                break
    yield chunk({}, "stop")
    yield b"data: [DONE]\n\n"
