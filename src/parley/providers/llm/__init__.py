"""Chat-model providers for the LangChain agent: an offline extractive default and cloud adapters.

Attributes load on first use (PEP 562), so importing this package does not import LangChain.
"""

from __future__ import annotations

import importlib
from typing import Any

from parley.providers.llm.registry import ChatModelConfig, ChatModelRegistry

_LAZY = {
    "DEFAULT_FALLBACK_MESSAGE": "parley.providers.llm.extractive",
    "ExtractiveChatModel": "parley.providers.llm.extractive",
    "PROVIDERS": "parley.providers.llm.factory",
    "MissingApiKeyError": "parley.providers.llm.factory",
    "UnknownProviderError": "parley.providers.llm.factory",
    "build_chat_model": "parley.providers.llm.factory",
}

__all__ = ["ChatModelConfig", "ChatModelRegistry", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
