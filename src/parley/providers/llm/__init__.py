"""Chat-model providers for the LangChain agent: an offline extractive default and cloud adapters."""

from parley.providers.llm.extractive import DEFAULT_FALLBACK_MESSAGE, ExtractiveChatModel
from parley.providers.llm.factory import (
    PROVIDERS,
    ChatModelConfig,
    ChatModelRegistry,
    MissingApiKeyError,
    UnknownProviderError,
    build_chat_model,
)

__all__ = [
    "DEFAULT_FALLBACK_MESSAGE",
    "PROVIDERS",
    "ChatModelConfig",
    "ChatModelRegistry",
    "ExtractiveChatModel",
    "MissingApiKeyError",
    "UnknownProviderError",
    "build_chat_model",
]
