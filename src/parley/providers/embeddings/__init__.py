"""Text embeddings: an offline MiniLM default and an OpenAI-compatible adapter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parley.providers.embeddings.base import Embedder, EmbeddingError, l2_normalise
from parley.providers.embeddings.local import LocalEmbedder
from parley.providers.embeddings.openai_compat import OpenAICompatEmbedder

PROVIDERS = ("local", "openai-compatible")

__all__ = [
    "PROVIDERS",
    "Embedder",
    "EmbeddingError",
    "LocalEmbedder",
    "OpenAICompatEmbedder",
    "build_embedder",
    "l2_normalise",
]


def build_embedder(provider: str = "local", *, cache_dir: Path, **options: Any) -> Embedder:
    """Build the embedder named by `provider`, passing `options` to its constructor.

    local: threads, max_tokens, batch_tokens, convert_model, model_path, tokenizer_path.
    openai-compatible: base_url, api_key, model, dim (required); name, batch_size,
    send_dimensions, max_retries, timeout.
    """
    if provider == "local":
        return LocalEmbedder(cache_dir=cache_dir, **options)
    if provider == "openai-compatible":
        return OpenAICompatEmbedder(**options)  # remote: nothing to cache
    raise ValueError(f"unknown embeddings provider {provider!r}; choose one of {', '.join(PROVIDERS)}")
