from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from parley.providers.embeddings import LocalEmbedder
from tests.fakes.base import serve_app
from tests.fakes.embeddings_server import FakeEmbeddingsState, create_app


@pytest.fixture(scope="session")
async def local_embedder(tmp_path_factory: pytest.TempPathFactory) -> LocalEmbedder:
    """A loaded embedder; its first start converts the graph (once per test worker)."""
    embedder = LocalEmbedder(cache_dir=tmp_path_factory.mktemp("models"), batch_tokens=512)
    await embedder.load()
    return embedder


@pytest.fixture(scope="session")
def model_cache(local_embedder: LocalEmbedder) -> Path:
    return local_embedder.cache_dir


@pytest.fixture(scope="module")
def embeddings_server_module() -> Iterator[tuple[str, FakeEmbeddingsState]]:
    state = FakeEmbeddingsState()
    with serve_app(create_app(state)) as url:
        yield f"{url}/v1", state


@pytest.fixture
def embeddings_server(
    embeddings_server_module: tuple[str, FakeEmbeddingsState],
) -> tuple[str, FakeEmbeddingsState]:
    """The fake's base URL (…/v1) and its state, reset for each test."""
    url, state = embeddings_server_module
    fresh = FakeEmbeddingsState()
    for name in vars(fresh):
        setattr(state, name, getattr(fresh, name))
    return url, state
