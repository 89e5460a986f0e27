"""Build LangChain chat models by provider name, and cache them per event loop.

Providers:
- "extractive": `ExtractiveChatModel`, offline, no key (the default).
- "groq": `ChatGroq`. `base_url` is the server root (e.g. "https://api.groq.com");
  the groq SDK appends "/openai/v1" itself.
- "openai-compatible": `ChatOpenAI` on the Chat Completions API. `base_url` includes
  the version path (e.g. "http://localhost:11434/v1" for Ollama); None means OpenAI.

Async HTTP clients are bound to the event loop that first uses them: a ChatGroq used
from a second loop fails with "Connection error." (cause: "Event loop is closed"), and
langchain-openai even shares one cached default client between all its instances. So
every cloud model built here gets its own async HTTP client, and the app keeps one
`ChatModelRegistry` per event loop (created in its lifespan) that reuses models per
configuration and closes their clients on shutdown.
"""

from __future__ import annotations

from typing import Any

import groq
import openai
from langchain_core.language_models import BaseChatModel
from langchain_groq import ChatGroq
from langchain_openai import ChatOpenAI

from parley.providers.llm.extractive import ExtractiveChatModel
from parley.providers.llm.registry import EXTRACTIVE_OPTIONS

PROVIDERS: tuple[str, ...] = ("extractive", "groq", "openai-compatible")

GROQ_BASE_URL = "https://api.groq.com"
OPENAI_BASE_URL = "https://api.openai.com/v1"


class UnknownProviderError(ValueError):
    pass


class MissingApiKeyError(ValueError):
    pass


def build_chat_model(
    provider: str,
    *,
    model: str,
    api_key: str | None,
    base_url: str | None,
    temperature: float,
    max_tokens: int,
    timeout_s: float,
    max_retries: int,
    stream_usage: bool = True,
    **extractive_opts: Any,
) -> BaseChatModel:
    """Build a fresh chat model. Prefer `ChatModelRegistry.get` in the app.

    `base_url=None` means the provider's public endpoint; the SDKs' own environment
    variables (GROQ_API_KEY, OPENAI_BASE_URL ...) are never consulted, configuration
    comes in as arguments only. `stream_usage` asks OpenAI-compatible servers for token
    usage on streamed replies (`stream_options.include_usage`); turn it off for a
    server that rejects it. `extractive_opts` (min_relevance, fallback_message,
    max_sentences) only apply to the extractive provider.
    """
    unknown = set(extractive_opts) - EXTRACTIVE_OPTIONS
    if unknown:
        raise TypeError(f"unknown chat model options: {sorted(unknown)}")
    if provider == "extractive":
        return ExtractiveChatModel(model_name=model or "extractive", **extractive_opts)
    common = {"model": model, "temperature": temperature, "timeout": timeout_s, "max_retries": max_retries}
    if provider == "groq":
        if not api_key:
            raise MissingApiKeyError("the groq chat model needs an API key")
        return ChatGroq(
            **common,
            api_key=api_key,
            base_url=base_url or GROQ_BASE_URL,
            max_tokens=max_tokens,
            # Own clients, not shared with other instances; ChatModelRegistry.aclose() closes them.
            http_client=groq.DefaultHttpxClient(),
            http_async_client=groq.DefaultAsyncHttpxClient(),
        )
    if provider == "openai-compatible":
        base_url = base_url or OPENAI_BASE_URL
        is_openai = "api.openai.com" in base_url
        if is_openai and not api_key:
            raise MissingApiKeyError("OpenAI needs an API key")
        return ChatOpenAI(
            **common,
            # Local servers (Ollama, vLLM, LM Studio) take any key, but the SDK insists on one.
            api_key=api_key or "not-needed",
            base_url=base_url,
            # OpenAI wants `max_completion_tokens` (its reasoning models reject `max_tokens`);
            # local servers and OpenRouter read `max_tokens`.
            max_completion_tokens=max_tokens if is_openai else None,
            extra_body=None if is_openai else {"max_tokens": max_tokens},
            stream_usage=stream_usage,
            # Other servers only speak Chat Completions: never switch to the Responses API.
            use_responses_api=False,
            # Own async client: langchain-openai would otherwise share one process-wide.
            http_async_client=openai.DefaultAsyncHttpxClient(),
        )
    raise UnknownProviderError(f"unknown chat model provider {provider!r}; expected one of {PROVIDERS}")
