"""ChatGroq and ChatOpenAI, built by our factory, against the local fake."""

from __future__ import annotations

import groq
import openai
import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessageChunk, HumanMessage, SystemMessage

from parley.providers.llm import build_chat_model
from tests.fakes.openai_chat import GROQ_PATH, OPENAI_PATH, Fail, Reply, ToolCall
from tests.providers.llm.conftest import ChatServer
from tests.providers.llm.knowledge import make_search_tool

MESSAGES = [SystemMessage("You are a support bot."), HumanMessage("What is the refund policy?")]


def groq_model(server: ChatServer, *, max_retries: int = 2) -> BaseChatModel:
    return build_chat_model(
        "groq",
        model="llama-3.3-70b-versatile",
        api_key="gsk_test",
        base_url=server.url,
        temperature=0.2,
        max_tokens=256,
        timeout_s=10,
        max_retries=max_retries,
    )


def openai_model(server: ChatServer, *, max_retries: int = 2) -> BaseChatModel:
    return build_chat_model(
        "openai-compatible",
        model="llama3.2",
        api_key=None,
        base_url=server.openai_url,
        temperature=0.2,
        max_tokens=256,
        timeout_s=10,
        max_retries=max_retries,
    )


async def merged(stream) -> AIMessageChunk:
    chunks = [chunk async for chunk in stream]
    return sum(chunks[1:], chunks[0])


# --- ChatGroq ---------------------------------------------------------------------------


async def test_groq_plain_reply_with_usage(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Reply("Refunds within 30 days."))
    reply = await groq_model(chat_server).ainvoke(MESSAGES)
    assert reply.content == "Refunds within 30 days."
    assert reply.usage_metadata["output_tokens"] > 0
    request = chat_server.fake.requests[0]
    assert request.path == GROQ_PATH
    assert request.messages == [
        {"role": "system", "content": "You are a support bot."},
        {"role": "user", "content": "What is the refund policy?"},
    ]
    assert request.body["max_tokens"] == 256 and request.body["temperature"] == 0.2


async def test_groq_streams_text_and_usage(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Reply("Refunds are paid within five business days."))
    chunks = [chunk async for chunk in groq_model(chat_server).astream(MESSAGES)]
    assert [c.content for c in chunks if c.content][:2] == ["Refunds", " are"]
    total = sum(chunks[1:], chunks[0])
    assert total.content == "Refunds are paid within five business days."
    assert total.usage_metadata["total_tokens"] > 0  # read from the final chunk's x_groq.usage
    assert chat_server.fake.requests[0].stream


async def test_groq_streamed_tool_call_is_reassembled(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(
        Reply(tool_calls=[ToolCall("search_knowledge_base", {"query": "refund policy"})])
    )
    bound = groq_model(chat_server).bind_tools([make_search_tool()])
    total = await merged(bound.astream(MESSAGES))
    assert [(c["name"], c["args"]) for c in total.tool_calls] == [
        ("search_knowledge_base", {"query": "refund policy"})
    ]
    assert chat_server.fake.requests[0].tool_names == ["search_knowledge_base"]


async def test_groq_retries_a_rate_limit(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Fail(429, retry_after=0.05), Reply("ok"))
    assert (await groq_model(chat_server).ainvoke(MESSAGES)).content == "ok"
    assert len(chat_server.fake.requests) == 2


async def test_groq_surfaces_a_server_error(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Fail(500, "upstream exploded"))
    with pytest.raises(groq.InternalServerError, match="upstream exploded"):
        await groq_model(chat_server, max_retries=0).ainvoke(MESSAGES)


async def test_groq_error_on_a_streamed_request_is_raised(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Fail(503))
    with pytest.raises(groq.APIStatusError):
        await merged(groq_model(chat_server, max_retries=0).astream(MESSAGES))


# --- ChatOpenAI (OpenAI-compatible servers) ---------------------------------------------


async def test_openai_compatible_plain_reply(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Reply("Hello from a local model."))
    reply = await openai_model(chat_server).ainvoke(MESSAGES)
    assert reply.content == "Hello from a local model."
    assert reply.usage_metadata["total_tokens"] > 0
    request = chat_server.fake.requests[0]
    assert request.path == OPENAI_PATH  # Chat Completions, never the Responses API
    assert request.headers["authorization"] == "Bearer not-needed"
    # Local servers read `max_tokens`; OpenAI's newer `max_completion_tokens` is not sent to them.
    assert request.body["max_tokens"] == 256 and "max_completion_tokens" not in request.body


async def test_openai_compatible_streams_with_usage(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Reply("Streaming works fine."))
    total = await merged(openai_model(chat_server).astream(MESSAGES))
    assert total.content == "Streaming works fine."
    assert total.usage_metadata["output_tokens"] > 0  # from the include_usage chunk
    assert chat_server.fake.requests[0].body["stream_options"] == {"include_usage": True}


async def test_openai_compatible_tool_calls(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(
        Reply(tool_calls=[ToolCall("search_knowledge_base", {"query": "refunds"})]),
        Reply(tool_calls=[ToolCall("search_knowledge_base", {"query": "shipping"})]),
    )
    bound = openai_model(chat_server).bind_tools([make_search_tool()])
    reply = await bound.ainvoke(MESSAGES)
    assert reply.tool_calls[0]["args"] == {"query": "refunds"}
    total = await merged(bound.astream(MESSAGES))
    assert total.tool_calls[0]["args"] == {"query": "shipping"}
    assert chat_server.fake.requests[0].tool_names == ["search_knowledge_base"]


async def test_openai_compatible_retries_then_surfaces_errors(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Fail(429, retry_after=0.05), Reply("ok"))
    assert (await openai_model(chat_server).ainvoke(MESSAGES)).content == "ok"
    chat_server.fake.enqueue(Fail(500, "model crashed"))
    with pytest.raises(openai.InternalServerError, match="model crashed"):
        await openai_model(chat_server, max_retries=0).ainvoke(MESSAGES)


async def test_openai_itself_gets_max_completion_tokens() -> None:
    model = build_chat_model(
        "openai-compatible",
        model="gpt-4.1-mini",
        api_key="sk-test",
        base_url=None,
        temperature=0.2,
        max_tokens=300,
        timeout_s=10,
        max_retries=0,
    )
    payload = model._get_request_payload(MESSAGES)  # no request: just what would be sent
    assert payload["max_completion_tokens"] == 300 and "max_tokens" not in payload
