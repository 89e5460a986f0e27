"""build_chat_model and ChatModelRegistry: the right class, one instance per config, one registry per loop."""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.messages import HumanMessage
from langchain_groq import ChatGroq
from langchain_openai import ChatOpenAI

from parley.providers.llm import (
    ChatModelConfig,
    ChatModelRegistry,
    ExtractiveChatModel,
    MissingApiKeyError,
    UnknownProviderError,
    build_chat_model,
)
from tests.fakes.openai_chat import Reply
from tests.providers.llm.conftest import ChatServer

COMMON = {
    "model": "m",
    "api_key": "k",
    "base_url": "http://127.0.0.1:9",
    "temperature": 0.0,
    "max_tokens": 64,
    "timeout_s": 3,
    "max_retries": 1,
}


def test_builds_each_provider() -> None:
    extractive = build_chat_model("extractive", **COMMON, fallback_message="Nope.", max_sentences=2)
    assert isinstance(extractive, ExtractiveChatModel)
    assert (extractive.fallback_message, extractive.max_sentences) == ("Nope.", 2)

    groq_model = build_chat_model("groq", **COMMON)
    assert isinstance(groq_model, ChatGroq)
    assert (groq_model.max_retries, groq_model.request_timeout, groq_model.max_tokens) == (1, 3, 64)

    openai_model = build_chat_model("openai-compatible", **COMMON)
    assert isinstance(openai_model, ChatOpenAI)
    assert openai_model.use_responses_api is False
    assert openai_model.openai_api_base == "http://127.0.0.1:9"


def test_rejects_unknown_providers_and_options() -> None:
    with pytest.raises(UnknownProviderError, match="anthropic"):
        build_chat_model("anthropic", **COMMON)
    with pytest.raises(TypeError, match="min_relevnace"):
        build_chat_model("extractive", **COMMON, min_relevnace=0.2)


def test_cloud_endpoints_need_a_key_local_servers_do_not() -> None:
    keyless = {**COMMON, "api_key": None}
    with pytest.raises(MissingApiKeyError):
        build_chat_model("groq", **keyless)
    with pytest.raises(MissingApiKeyError):
        build_chat_model("openai-compatible", **{**keyless, "base_url": None})
    local = build_chat_model("openai-compatible", **{**keyless, "base_url": "http://localhost:11434/v1"})
    assert local.openai_api_key.get_secret_value() == "not-needed"


def test_public_endpoints_are_the_default_whatever_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_BASE_URL", "http://elsewhere.invalid")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://elsewhere.invalid/v1")
    groq_model = build_chat_model("groq", **{**COMMON, "base_url": None})
    assert groq_model.groq_api_base == "https://api.groq.com"
    openai_model = build_chat_model("openai-compatible", **{**COMMON, "base_url": None})
    assert openai_model.openai_api_base == "https://api.openai.com/v1"


def test_config_of_splits_extractive_options() -> None:
    config = ChatModelConfig.of(
        "extractive", max_sentences=4, fallback_message="Ask the team.", max_tokens=99
    )
    assert config.max_tokens == 99
    assert config.extractive_opts == (("fallback_message", "Ask the team."), ("max_sentences", 4))
    assert "api_key" not in repr(ChatModelConfig.of("groq", api_key="gsk_secret"))  # keys stay out of logs


async def test_registry_reuses_models_per_configuration() -> None:
    registry = ChatModelRegistry()
    groq_config = ChatModelConfig.of("groq", model="llama", api_key="k1")
    assert registry.get(groq_config) is registry.get(ChatModelConfig.of("groq", model="llama", api_key="k1"))
    assert registry.get(groq_config) is not registry.get(
        ChatModelConfig.of("groq", model="llama", api_key="k2")
    )
    assert registry.get(ChatModelConfig.of("extractive", fallback_message="A")) is not registry.get(
        ChatModelConfig.of("extractive", fallback_message="B")
    )
    assert len(registry) == 4
    clients = [registry.get(groq_config).http_async_client]
    await registry.aclose()
    assert len(registry) == 0 and clients[0].is_closed


async def test_one_registry_per_event_loop(chat_server: ChatServer) -> None:
    """Async HTTP clients belong to one loop: each loop gets its own registry and its own clients.

    (langchain-openai would otherwise hand every instance one process-wide cached client,
    which fails with "Event loop is closed" once its first loop is gone.)
    """
    configs = [
        ChatModelConfig.of("groq", model="llama", api_key="k", base_url=chat_server.url, max_retries=0),
        ChatModelConfig.of(
            "openai-compatible", model="llama", base_url=chat_server.openai_url, max_retries=0
        ),
    ]

    async def answer_in_a_fresh_loop() -> list[str]:
        registry = ChatModelRegistry()
        try:
            return [(await registry.get(c).ainvoke([HumanMessage("hi")])).text for c in configs]
        finally:
            await registry.aclose()

    chat_server.fake.default = Reply("hello")
    try:
        for _ in range(2):  # two short-lived loops, as in two app lifespans (or two test sessions)
            assert await asyncio.to_thread(asyncio.run, answer_in_a_fresh_loop()) == ["hello", "hello"]
        assert await answer_in_a_fresh_loop() == ["hello", "hello"]  # and the test's own loop
    finally:
        chat_server.fake.default = Reply("OK")
