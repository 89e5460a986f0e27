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

from dataclasses import dataclass, field
from typing import Any

import groq
import openai
from langchain_core.language_models import BaseChatModel
from langchain_groq import ChatGroq
from langchain_openai import ChatOpenAI

from parley.providers.llm.extractive import ExtractiveChatModel

PROVIDERS: tuple[str, ...] = ("extractive", "groq", "openai-compatible")
EXTRACTIVE_OPTIONS = frozenset({"min_relevance", "fallback_message", "max_sentences"})


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


@dataclass(frozen=True)
class ChatModelConfig:
    """Everything `build_chat_model` needs; hashable, so it can key the registry."""

    provider: str = "extractive"
    model: str = ""
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    temperature: float = 0.2
    max_tokens: int = 1024
    timeout_s: float = 30.0
    max_retries: int = 2
    stream_usage: bool = True
    extractive_opts: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, provider: str, **options: Any) -> ChatModelConfig:
        """`ChatModelConfig.of("extractive", fallback_message="...")`: extractive options go in as keywords."""
        fields = {name: options.pop(name) for name in list(options) if name not in EXTRACTIVE_OPTIONS}
        return cls(provider=provider, extractive_opts=tuple(sorted(options.items())), **fields)

    def build(self) -> BaseChatModel:
        return build_chat_model(
            self.provider,
            model=self.model,
            api_key=self.api_key,
            base_url=self.base_url,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            timeout_s=self.timeout_s,
            max_retries=self.max_retries,
            stream_usage=self.stream_usage,
            **dict(self.extractive_opts),
        )


class ChatModelRegistry:
    """Chat models built once per configuration, for one event loop.

    Create it in the app's lifespan (one per loop) and `await aclose()` on shutdown.
    """

    def __init__(self) -> None:
        self._models: dict[ChatModelConfig, BaseChatModel] = {}

    def get(self, config: ChatModelConfig) -> BaseChatModel:
        model = self._models.get(config)
        if model is None:
            model = self._models[config] = config.build()
        return model

    def __len__(self) -> int:
        return len(self._models)

    async def aclose(self) -> None:
        """Close the HTTP clients of the models built here; the registry is empty afterwards."""
        models, self._models = list(self._models.values()), {}
        for model in models:
            # Only clients the factory created are set on these fields (ChatOpenAI's sync one
            # stays None: langchain-openai shares a process-wide default, which we leave alone).
            if (async_client := getattr(model, "http_async_client", None)) is not None:
                await async_client.aclose()
            if (sync_client := getattr(model, "http_client", None)) is not None:
                sync_client.close()
