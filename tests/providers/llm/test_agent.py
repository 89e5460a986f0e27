"""Our chat models inside a real langchain `create_agent` agent with a real search tool."""

from __future__ import annotations

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, AIMessageChunk, ToolMessage
from langchain_core.tools import tool

from parley.providers.llm import ExtractiveChatModel, build_chat_model
from tests.fakes.openai_chat import Reply, ToolCall
from tests.providers.llm.conftest import ChatServer
from tests.providers.llm.knowledge import make_search_tool

FALLBACK = "I don't know that one yet. Try asking about refunds or shipping."
SYSTEM = "You answer from the documents only and cite them like [1]."


@tool
def handoff_to_human(reason: str) -> str:
    """Hand the conversation over to a person on the team."""
    return "I've asked a teammate to join; they usually reply within a few minutes."


@tool
def capture_lead(name: str, email: str) -> str:
    """Save the visitor's contact details so the team can follow up."""
    return f"Thanks {name}! We'll be in touch at {email}."


def extractive_agent(queries: list[str] | None = None):
    model = ExtractiveChatModel(fallback_message=FALLBACK, min_relevance=0.3)
    return create_agent(
        model, tools=[make_search_tool(queries), handoff_to_human, capture_lead], system_prompt=SYSTEM
    )


def user(text: str) -> dict:
    return {"messages": [{"role": "user", "content": text}]}


async def test_extractive_agent_answers_with_citations() -> None:
    result = await extractive_agent().ainvoke(user("How long do refunds take to be paid back?"))
    call, tool_result, answer = result["messages"][1:]
    assert call.tool_calls[0]["name"] == "search_knowledge_base"
    assert tool_result.artifact[0]["source"] == "handbook.pdf"
    assert answer.content.endswith("within 5 business days [1].")
    assert answer.usage_metadata["output_tokens"] > 0


async def test_extractive_agent_falls_back_on_weak_retrieval() -> None:
    for question in (
        "What is the weather on Mars?",
        "Do you sell refurbished laptops with refund insurance?",
    ):
        result = await extractive_agent().ainvoke(user(question))
        assert result["messages"][-1].content == FALLBACK
        assert isinstance(result["messages"][-2], ToolMessage)  # it did search first


async def test_extractive_agent_resolves_a_follow_up() -> None:
    queries: list[str] = []
    history = [
        {"role": "user", "content": "How long does standard shipping take?"},
        {"role": "assistant", "content": "Standard shipping takes 3 to 5 business days [1]."},
        {"role": "user", "content": "And express?"},
    ]
    result = await extractive_agent(queries).ainvoke({"messages": history})
    assert queries == ["And express? long standard shipping take"]
    assert "Express shipping arrives the next day" in result["messages"][-1].content


async def test_extractive_agent_streams_tokens() -> None:
    agent = extractive_agent()
    pieces: list[str] = []
    nodes: set[str] = set()
    async for message, metadata in agent.astream(
        user("How long do refunds take to be paid back?"), stream_mode="messages"
    ):
        nodes.add(metadata["langgraph_node"])
        if isinstance(message, AIMessageChunk) and message.content:
            pieces.append(message.content)
    assert nodes == {"model", "tools"}  # tool results are streamed as whole messages too
    assert len(pieces) > 10
    final = await agent.ainvoke(user("How long do refunds take to be paid back?"))
    assert "".join(pieces) == final["messages"][-1].content


async def test_extractive_agent_hands_off_and_captures_leads() -> None:
    result = await extractive_agent().ainvoke(user("Please connect me with a human agent"))
    assert result["messages"][1].tool_calls[0]["name"] == "handoff_to_human"
    assert result["messages"][-1].content.startswith("I've asked a teammate to join")

    result = await extractive_agent().ainvoke(user("My name is Ada Lovelace, ada@example.org"))
    assert result["messages"][1].tool_calls[0]["args"] == {"name": "Ada Lovelace", "email": "ada@example.org"}
    assert result["messages"][-1].content == "Thanks Ada Lovelace! We'll be in touch at ada@example.org."


def test_extractive_agent_runs_synchronously_too() -> None:
    result = extractive_agent().invoke(user("Can digital goods be refunded after download?"))
    assert "[2]" in result["messages"][-1].content or "[1]" in result["messages"][-1].content


# --- ChatGroq in the same agent, against the fake ----------------------------------------


def groq_agent(server: ChatServer):
    model = build_chat_model(
        "groq",
        model="llama-3.3-70b-versatile",
        api_key="gsk_test",
        base_url=server.url,
        temperature=0.2,
        max_tokens=256,
        timeout_s=10,
        max_retries=0,
    )
    return create_agent(model, tools=[make_search_tool(), handoff_to_human], system_prompt=SYSTEM)


async def test_groq_agent_tool_round_trip(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(
        Reply(tool_calls=[ToolCall("search_knowledge_base", {"query": "refund time"}, id="call_abc")]),
        Reply("Refunds are paid back within 5 business days [1]."),
    )
    result = await groq_agent(chat_server).ainvoke(user("How long do refunds take?"))
    assert result["messages"][-1].content == "Refunds are paid back within 5 business days [1]."

    first, second = chat_server.fake.requests
    assert first.tool_names == ["search_knowledge_base", "handoff_to_human"]
    assert first.messages[0] == {"role": "system", "content": SYSTEM}
    assistant, tool_result = second.messages[-2:]
    assert assistant["tool_calls"][0]["id"] == "call_abc"
    assert tool_result["role"] == "tool" and tool_result["tool_call_id"] == "call_abc"
    # The real LLM sees delimited documents, not the artifact.
    assert tool_result["content"].startswith('<document id="1" source="handbook.pdf" location="page 3">')


async def test_groq_agent_streams_the_tool_call_and_the_answer(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(
        Reply(tool_calls=[ToolCall("search_knowledge_base", {"query": "shipping"})]),
        Reply("Standard shipping takes 3 to 5 business days [1]."),
    )
    tool_call_chunks, text = [], []
    async for message, _ in groq_agent(chat_server).astream(
        user("How long is shipping?"), stream_mode="messages"
    ):
        if isinstance(message, AIMessageChunk):
            tool_call_chunks += message.tool_call_chunks
            text.append(message.content)
    assert len(tool_call_chunks) >= 3  # name first, then the arguments in pieces
    assert tool_call_chunks[0]["name"] == "search_knowledge_base"
    assert "".join(text) == "Standard shipping takes 3 to 5 business days [1]."
    # "messages" mode makes the agent call the streaming API.
    assert all(r.stream for r in chat_server.fake.requests)


async def test_groq_agent_final_state_keeps_usage(chat_server: ChatServer) -> None:
    chat_server.fake.enqueue(Reply("Hello! Ask me about refunds or shipping."))
    result = await groq_agent(chat_server).ainvoke(user("hi"))
    final = result["messages"][-1]
    assert isinstance(final, AIMessage) and final.usage_metadata["total_tokens"] > 0
