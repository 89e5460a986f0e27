"""A local OpenAI-style chat completions server (Groq, OpenAI, Ollama, vLLM ... all speak it).

Served at both `/openai/v1/chat/completions` (Groq's path: the groq SDK appends
`/openai/v1` to its base URL) and `/v1/chat/completions` (OpenAI-compatible servers).

Script it from a test with a queue of canned outcomes, consumed one per request:

    fake = FakeChatCompletions()
    fake.enqueue(Fail(429, retry_after=0.01), Reply("Hello!"))
    fake.enqueue(Reply(tool_calls=[ToolCall("search_knowledge_base", {"query": "refunds"})]))
    with serve_app(fake.app) as base_url:
        ...  # point the SDK at base_url (groq) or f"{base_url}/v1" (openai)
    fake.requests[0].messages  # what the SDK sent

With an empty queue it answers `default` at once (no artificial delay), which is
what benchmarks want; pass `record=False` so a long benchmark keeps no history.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

GROQ_PATH = "/openai/v1/chat/completions"
OPENAI_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]
    id: str | None = None  # generated when omitted


@dataclass(frozen=True)
class Reply:
    """A successful completion: text, tool calls, or both."""

    content: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    chunk_delay_s: float = 0.0  # pause between streamed chunks, to imitate token pacing


@dataclass(frozen=True)
class Fail:
    """An error response in the provider's shape `{"error": {"message", "type", "code"}}`."""

    status: int
    message: str = ""
    type: str = ""
    code: str | None = None
    retry_after: float | None = None  # seconds, sent as the `retry-after` header


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.body.get("messages", [])

    @property
    def tools(self) -> list[dict[str, Any]]:
        return self.body.get("tools") or []

    @property
    def tool_names(self) -> list[str]:
        return [tool["function"]["name"] for tool in self.tools]

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))


Outcome = Reply | Fail

_DEFAULT_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request", "invalid_request_error", None),
    401: ("Invalid API Key", "invalid_request_error", "invalid_api_key"),
    429: ("Rate limit reached, please try again later", "tokens", "rate_limit_exceeded"),
    500: ("Internal server error", "internal_server_error", None),
    503: ("Service unavailable", "service_unavailable", None),
}


class FakeChatCompletions:
    def __init__(
        self,
        *,
        default: Outcome | None = None,
        api_key: str | None = None,
        record: bool = True,
        arguments_pieces: int = 3,
        responder: Callable[[dict[str, Any]], Outcome] | None = None,
    ) -> None:
        self.default: Outcome = default or Reply("OK")
        self.responder = responder  # decides from the request body when nothing is queued (benchmarks)
        self.api_key = api_key  # when set, requests must carry `Authorization: Bearer <api_key>`
        self.record = record
        self.arguments_pieces = arguments_pieces  # how many deltas streamed tool arguments are split into
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Outcome] = deque()
        self._ids = count(1)
        routes = [Route(path, self._chat_completions, methods=["POST"]) for path in (GROQ_PATH, OPENAI_PATH)]
        self.app = Starlette(routes=routes)

    def enqueue(self, *outcomes: Outcome) -> None:
        self._queue.extend(outcomes)

    def reset(self) -> None:
        self._queue.clear()
        self.requests.clear()

    @property
    def pending(self) -> int:
        return len(self._queue)

    async def _chat_completions(self, request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _error_response(Fail(400, "Request body is not valid JSON"))
        if self.record:
            self.requests.append(RecordedRequest(request.url.path, dict(request.headers), body))
        if self.api_key is not None and request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _error_response(Fail(401))
        if not body.get("model") or not body.get("messages"):
            return _error_response(Fail(400, "'model' and 'messages' are required", code="missing_field"))

        if self._queue:
            outcome = self._queue.popleft()
        else:
            outcome = self.responder(body) if self.responder else self.default
        if isinstance(outcome, Fail):
            return _error_response(outcome)
        number = next(self._ids)
        completion_id = f"chatcmpl-fake{number}"
        tool_calls = [
            call if call.id else ToolCall(call.name, call.arguments, f"call_fake{number}_{i}")
            for i, call in enumerate(outcome.tool_calls)
        ]
        usage = _usage(body, outcome)
        is_groq = request.url.path == GROQ_PATH
        if body.get("stream"):
            chunks = self._stream_chunks(body, completion_id, outcome.content, tool_calls, usage, is_groq)
            return StreamingResponse(_sse(chunks, outcome.chunk_delay_s), media_type="text/event-stream")
        return JSONResponse(_completion(body, completion_id, outcome.content, tool_calls, usage, is_groq))

    def _stream_chunks(
        self,
        body: dict[str, Any],
        completion_id: str,
        content: str,
        tool_calls: list[ToolCall],
        usage: dict[str, int],
        is_groq: bool,
    ) -> list[dict[str, Any]]:
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
            data = _envelope(body, completion_id, "chat.completion.chunk")
            data["choices"] = [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]
            if include_usage:
                data["usage"] = None
            return data

        chunks = [chunk({"role": "assistant", "content": ""})]
        chunks += [chunk({"content": word}) for word in _split_words(content)]
        for index, call in enumerate(tool_calls):
            # Like the real APIs: id, type and name come first, the arguments follow in pieces.
            head = {
                "index": index,
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": ""},
            }
            chunks.append(chunk({"tool_calls": [head]}))
            for piece in _split_even(json.dumps(call.arguments), self.arguments_pieces):
                chunks.append(chunk({"tool_calls": [{"index": index, "function": {"arguments": piece}}]}))
        last = chunk({}, "tool_calls" if tool_calls else "stop")
        if is_groq:  # Groq reports streamed usage in the final chunk's `x_groq` block
            last["x_groq"] = {"id": f"req_{completion_id}", "usage": usage}
        chunks.append(last)
        if include_usage:
            usage_chunk = _envelope(body, completion_id, "chat.completion.chunk")
            usage_chunk.update(choices=[], usage=usage)
            chunks.append(usage_chunk)
        return chunks


def _envelope(body: dict[str, Any], completion_id: str, kind: str) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": kind,
        "created": int(time.time()),
        "model": body["model"],
        "system_fingerprint": "fp_fake",
    }


def _completion(
    body: dict[str, Any],
    completion_id: str,
    content: str,
    tool_calls: list[ToolCall],
    usage: dict[str, int],
    is_groq: bool,
) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content or None}
    if tool_calls:
        message["tool_calls"] = [
            {
                "id": c.id,
                "type": "function",
                "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
            }
            for c in tool_calls
        ]
    data = _envelope(body, completion_id, "chat.completion")
    data["choices"] = [
        {
            "index": 0,
            "message": message,
            "logprobs": None,
            "finish_reason": "tool_calls" if tool_calls else "stop",
        }
    ]
    data["usage"] = usage
    if is_groq:
        data["x_groq"] = {"id": f"req_{completion_id}"}
    return data


def _usage(body: dict[str, Any], outcome: Reply) -> dict[str, int]:
    # Rough estimate (4 characters a token): enough for tests to see numbers flow through.
    prompt = _tokens(json.dumps(body["messages"]))
    completion = _tokens(outcome.content) + sum(
        _tokens(c.name + json.dumps(c.arguments)) for c in outcome.tool_calls
    )
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _tokens(text: str) -> int:
    return -(-len(text) // 4)


def _error_response(fail: Fail) -> JSONResponse:
    message, type_, code = _DEFAULT_ERRORS.get(fail.status, ("Error", "api_error", None))
    error = {"message": fail.message or message, "type": fail.type or type_, "code": fail.code or code}
    headers = {"retry-after": _seconds(fail.retry_after)} if fail.retry_after is not None else None
    return JSONResponse({"error": error}, status_code=fail.status, headers=headers)


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


async def _sse(chunks: list[dict[str, Any]], delay_s: float) -> AsyncIterator[bytes]:
    for i, data in enumerate(chunks):
        if delay_s and i:
            await asyncio.sleep(delay_s)
        yield f"data: {json.dumps(data)}\n\n".encode()
    yield b"data: [DONE]\n\n"


def _split_words(text: str) -> list[str]:
    """Split into word-sized deltas that concatenate back to `text` exactly."""
    pieces: list[str] = []
    for i, word in enumerate(text.split(" ")):
        pieces.append(word if i == 0 else " " + word)
    return [p for p in pieces if p]


def _split_even(text: str, parts: int) -> list[str]:
    size = max(1, -(-len(text) // max(1, parts)))
    return [text[i : i + size] for i in range(0, len(text), size)]
