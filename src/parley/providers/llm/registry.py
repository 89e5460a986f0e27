"""Chat-model configurations and the per-event-loop registry of built models.

Kept free of LangChain imports: the factory (and LangChain) load on the first model built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EXTRACTIVE_OPTIONS = frozenset({"min_relevance", "fallback_message", "max_sentences"})


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

    def build(self):
        from parley.providers.llm.factory import build_chat_model

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
        self._models: dict[ChatModelConfig, Any] = {}

    def get(self, config: ChatModelConfig):
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
