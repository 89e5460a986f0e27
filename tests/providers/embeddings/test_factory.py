from __future__ import annotations

from pathlib import Path

import pytest

from parley.providers.embeddings import Embedder, LocalEmbedder, OpenAICompatEmbedder, build_embedder


def test_local_is_the_default_and_builds_lazily(tmp_path: Path) -> None:
    embedder = build_embedder(cache_dir=tmp_path, threads=1, batch_tokens=1024)
    assert isinstance(embedder, LocalEmbedder) and isinstance(embedder, Embedder)
    assert (embedder.name, embedder.dim) == ("minilm-l6-v2-int8", 384)
    assert (embedder.threads, embedder.batch_tokens) == (1, 1024)
    assert embedder.model_path is None  # nothing loaded or converted yet
    assert list(tmp_path.iterdir()) == []


async def test_openai_compatible(tmp_path: Path) -> None:
    embedder = build_embedder(
        "openai-compatible",
        cache_dir=tmp_path,
        base_url="http://127.0.0.1:9/v1",
        api_key="sk-test",
        model="text-embedding-3-small",
        dim=1536,
    )
    assert isinstance(embedder, OpenAICompatEmbedder) and isinstance(embedder, Embedder)
    assert (embedder.name, embedder.dim) == ("text-embedding-3-small", 1536)
    await embedder.close()


def test_unknown_provider(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown embeddings provider 'groq'"):
        build_embedder("groq", cache_dir=tmp_path)
