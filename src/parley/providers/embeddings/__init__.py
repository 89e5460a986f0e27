"""Text embeddings: an offline MiniLM default and an OpenAI-compatible adapter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parley.providers.embeddings.base import Embedder, EmbeddingError, l2_normalise

PROVIDERS = ("local", "openai-compatible")

__all__ = [
    "PROVIDERS",
    "Embedder",
    "EmbeddingError",
    "build_embedder",
    "l2_normalise",
]


def build_embedder(provider: str = "local", *, cache_dir: Path, **options: Any) -> Embedder:
    """Build the embedder named by `provider`, passing `options` to its constructor.

    local: threads, max_tokens, batch_tokens, convert_model, model_path, tokenizer_path.
    openai-compatible: base_url, api_key, model, dim (required); name, batch_size,
    send_dimensions, max_retries, timeout.
    """
    # Imported here: onnxruntime and openai are slow to import, and a process uses only one of them.
    if provider == "local":
        from parley.providers.embeddings.local import LocalEmbedder

        return LocalEmbedder(cache_dir=cache_dir, **options)
    if provider == "openai-compatible":
        from parley.providers.embeddings.openai_compat import OpenAICompatEmbedder

        return OpenAICompatEmbedder(**options)  # remote: nothing to cache
    raise ValueError(f"unknown embeddings provider {provider!r}; choose one of {', '.join(PROVIDERS)}")


def __getattr__(name: str) -> Any:
    """LocalEmbedder and OpenAICompatEmbedder load on first use (their libraries are slow to import)."""
    if name == "LocalEmbedder":
        from parley.providers.embeddings.local import LocalEmbedder

        return LocalEmbedder
    if name == "OpenAICompatEmbedder":
        from parley.providers.embeddings.openai_compat import OpenAICompatEmbedder

        return OpenAICompatEmbedder
    raise AttributeError(name)
