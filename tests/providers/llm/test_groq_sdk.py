"""The raw groq SDK against the local fake: proves the fake speaks Groq's wire protocol."""

from __future__ import annotations

import json
import time

import groq
import httpx
import pytest

from tests.fakes.openai_chat import GROQ_PATH, Fail, Reply, ToolCall
from tests.providers.llm.conftest import ChatServer

MODEL = "llama-3.1-8b-instant"
MESSAGES = [{"role": "user", "content": "Hello there"}]
SEARCH_TOOL = {
    "type": "function",
    "function": {
        "name": "search_knowledge_base",
        "description": "Search the documents.",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
    },
}


def client(server: ChatServer, **options) -> groq.AsyncGroq:
    return groq.AsyncGroq(api_key="gsk_test", base_url=server.url, **options)


async def test_plain_completion(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Reply("Hi! How can I help?"))
    completion = await client(chat_server).chat.completions.create(model=MODEL, messages=MESSAGES)
    assert completion.choices[0].message.content == "Hi! How can I help?"
    assert completion.choices[0].finish_reason == "stop"
    assert (
        completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens
    )
    request = chat_server.fake.requests[0]
    assert request.path == GROQ_PATH  # the SDK appended /openai/v1 to the base URL
    assert request.headers["authorization"] == "Bearer gsk_test"
    assert request.messages == MESSAGES and request.body["model"] == MODEL


async def test_streaming_completion(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Reply("Refunds take five days."))
    stream = await client(chat_server).chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)
    chunks = [chunk async for chunk in stream]
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Refunds take five days."
    assert len(chunks) >= 5  # role, one delta per word, final
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].x_groq.usage.completion_tokens > 0  # Groq's place for streamed usage


async def test_streamed_tool_calls_arrive_in_pieces(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(
        Reply(tool_calls=[ToolCall("search_knowledge_base", {"query": "refund policy"})])
    )
    stream = await client(chat_server).chat.completions.create(
        model=MODEL, messages=MESSAGES, tools=[SEARCH_TOOL], stream=True
    )
    deltas = [tc async for chunk in stream if chunk.choices for tc in chunk.choices[0].delta.tool_calls or []]
    assert deltas[0].id and deltas[0].function.name == "search_knowledge_base"
    assert all(d.id is None and d.function.name is None for d in deltas[1:])
    assert len(deltas) >= 3
    arguments = "".join(d.function.arguments or "" for d in deltas)
    assert json.loads(arguments) == {"query": "refund policy"}
    assert chat_server.fake.requests[0].tool_names == ["search_knowledge_base"]


async def test_rate_limit_is_retried_after_the_advertised_delay(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Fail(429, retry_after=0.2), Reply("ok after retry"))
    started = time.monotonic()
    completion = await client(chat_server, max_retries=2).chat.completions.create(
        model=MODEL, messages=MESSAGES
    )
    assert completion.choices[0].message.content == "ok after retry"
    assert time.monotonic() - started >= 0.2
    assert len(chat_server.fake.requests) == 2


async def test_rate_limit_error_shape_when_retries_run_out(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Fail(429, retry_after=1))
    with pytest.raises(groq.RateLimitError) as caught:
        await client(chat_server, max_retries=0).chat.completions.create(model=MODEL, messages=MESSAGES)
    assert caught.value.status_code == 429
    assert caught.value.response.headers["retry-after"] == "1"
    # The groq SDK keeps the whole `{"error": {...}}` document as the body.
    assert caught.value.body == {
        "error": {
            "message": "Rate limit reached, please try again later",
            "type": "tokens",
            "code": "rate_limit_exceeded",
        }
    }
    assert "Rate limit reached" in str(caught.value)


async def test_server_error_is_surfaced_after_retries(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Fail(500), Fail(500))
    with pytest.raises(groq.InternalServerError) as caught:
        await client(chat_server, max_retries=1).chat.completions.create(model=MODEL, messages=MESSAGES)
    assert caught.value.status_code == 500
    assert len(chat_server.fake.requests) == 2  # the SDK retried once, then gave up


async def test_wire_format_of_the_stream(chat_server: ChatServer) -> None:
    """What any client sees: `data:` lines of JSON, then `data: [DONE]`."""
    chat_server.fake.enqueue(Reply("two words"))
    body = {"model": MODEL, "messages": MESSAGES, "stream": True, "stream_options": {"include_usage": True}}
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{chat_server.openai_url}/chat/completions", json=body)
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [line.removeprefix("data: ") for line in response.text.split("\n\n") if line]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(event) for event in events[:-1]]
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["total_tokens"] > 0  # the include_usage chunk
    assert all(chunk["usage"] is None for chunk in chunks[:-1])


async def test_missing_fields_get_a_400_in_the_provider_shape(chat_server: ChatServer) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{chat_server.url}{GROQ_PATH}", json={"model": MODEL})
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"message", "type", "code"}


async def test_streamed_chunks_can_be_paced(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Reply("one two three four", chunk_delay_s=0.05))
    stream = await client(chat_server).chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)
    arrivals = [time.monotonic() async for _ in stream]
    assert arrivals[-1] - arrivals[0] >= 0.2  # 6 chunks, 5 pauses: the first token came early
