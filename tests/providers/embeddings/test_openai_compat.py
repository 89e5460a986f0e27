from __future__ import annotations

import numpy as np
import pytest

from parley.providers.embeddings import EmbeddingError, OpenAICompatEmbedder
from tests.fakes.embeddings_server import FakeEmbeddingsState, fake_vector

Server = tuple[str, FakeEmbeddingsState]


def make_embedder(url: str, **options) -> OpenAICompatEmbedder:
    settings = {"base_url": url, "api_key": "sk-test", "model": "fake-embed-small", "dim": 64} | options
    return OpenAICompatEmbedder(**settings)


async def test_batches_inputs_and_keeps_their_order(embeddings_server: Server) -> None:
    url, state = embeddings_server
    texts = ["red apples", "green pears", "yellow bananas", "blue berries", "black grapes"]
    embedder = make_embedder(url, batch_size=2)
    try:
        vectors = await embedder.embed_documents(texts)
    finally:
        await embedder.close()

    assert [len(r["input"]) for r in state.requests] == [2, 2, 1]
    assert vectors.dtype == np.float32 and vectors.shape == (5, 64)
    np.testing.assert_allclose(vectors, np.stack([fake_vector(t, 64) for t in texts]), atol=1e-6)


async def test_sdk_asks_for_base64_and_float_answers_work_too(embeddings_server: Server) -> None:
    url, state = embeddings_server
    embedder = make_embedder(url)
    try:
        as_base64 = await embedder.embed_query("base64 please")
        state.ignore_encoding_format = True  # a compatible server that always sends floats
        as_floats = await embedder.embed_query("base64 please")
    finally:
        await embedder.close()

    assert [r.get("encoding_format") for r in state.requests] == ["base64", "base64"]
    assert as_base64.shape == (64,)
    np.testing.assert_allclose(as_base64, as_floats, atol=1e-6)
    assert np.linalg.norm(as_base64) == pytest.approx(1.0, abs=1e-5)


async def test_bad_key_fails_at_once_and_is_not_retryable(embeddings_server: Server) -> None:
    url, state = embeddings_server
    embedder = make_embedder(url, api_key="sk-wrong")
    try:
        with pytest.raises(EmbeddingError, match="401") as caught:
            await embedder.embed_documents(["hello"])
    finally:
        await embedder.close()
    assert caught.value.retryable is False
    assert len(state.requests) == 1  # the SDK does not retry a 401


async def test_rate_limits_are_retried_by_the_sdk(embeddings_server: Server) -> None:
    url, state = embeddings_server
    state.fail_next = [429, 500]
    embedder = make_embedder(url, max_retries=2)
    try:
        vector = await embedder.embed_query("patience")
    finally:
        await embedder.close()
    assert len(state.requests) == 3
    np.testing.assert_allclose(vector, fake_vector("patience", 64), atol=1e-6)


async def test_persistent_rate_limit_surfaces_as_retryable_error(embeddings_server: Server) -> None:
    url, state = embeddings_server
    state.fail_next = [429] * 5
    embedder = make_embedder(url, max_retries=1)
    try:
        with pytest.raises(EmbeddingError, match="429") as caught:
            await embedder.embed_query("too fast")
    finally:
        await embedder.close()
    assert caught.value.retryable is True
    assert len(state.requests) == 2


async def test_dimensions_are_sent_only_when_asked_and_checked(embeddings_server: Server) -> None:
    url, state = embeddings_server
    shortened = make_embedder(url, dim=16, send_dimensions=True)
    mismatched = make_embedder(url, dim=16)
    try:
        assert (await shortened.embed_query("short vectors")).shape == (16,)
        with pytest.raises(EmbeddingError, match="expected 16 dimensions, got 64"):
            await mismatched.embed_query("short vectors")
    finally:
        await shortened.close()
        await mismatched.close()
    assert state.requests[0]["dimensions"] == 16
    assert "dimensions" not in state.requests[1]


async def test_empty_inputs(embeddings_server: Server) -> None:
    url, state = embeddings_server
    embedder = make_embedder(url)
    try:
        assert (await embedder.embed_documents([])).shape == (0, 64)
        blank = await embedder.embed_documents(["", "text"])
    finally:
        await embedder.close()
    assert len(state.requests) == 1  # nothing sent for no texts
    assert state.requests[0]["input"] == [" ", "text"]  # OpenAI rejects empty strings
    assert blank.shape == (2, 64)


async def test_unknown_model_is_a_clear_error(embeddings_server: Server) -> None:
    url, _ = embeddings_server
    embedder = make_embedder(url, model="no-such-model")
    try:
        with pytest.raises(EmbeddingError, match="404.*does not exist"):
            await embedder.embed_query("hello")
    finally:
        await embedder.close()
