from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from parley.providers.embeddings import Embedder, LocalEmbedder
from parley.providers.embeddings.convert import convert_model, converted_model_path, shipped_model_path

pytestmark = pytest.mark.slow  # loads the model

SENTENCES = [
    "Photosynthesis lets plants turn sunlight, water and carbon dioxide into sugar.",
    "The central bank raised interest rates to slow inflation.",
    "Our refund policy: unused items can be returned within 30 days for a full refund.",
    # Longer than the tokenizer file's own 128-token limit, shorter than our 256.
    " ".join(["Mitochondria produce most of the chemical energy that powers the cell."] * 14),
]


async def test_vectors_are_unit_length_float32_in_input_order(local_embedder: LocalEmbedder) -> None:
    assert isinstance(local_embedder, Embedder)
    vectors = await local_embedder.embed_documents(SENTENCES)
    assert vectors.dtype == np.float32 and vectors.shape == (len(SENTENCES), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Each row is its own text's vector: batching, sorting and padding don't mix rows up.
    for text, row in zip(SENTENCES, vectors):
        alone = await local_embedder.embed_query(text)
        assert alone.shape == (384,)
        assert float(alone @ row) > 0.99  # int8 activations are scaled per batch: tiny drift


async def test_query_is_closest_to_its_matching_passage(local_embedder: LocalEmbedder) -> None:
    passages = await local_embedder.embed_documents(SENTENCES[:3])
    cases = {
        "how do plants make food from light?": 0,
        "why did the central bank increase rates": 1,
        "can I get my money back for something I bought?": 2,
    }
    for query, expected in cases.items():
        scores = passages @ await local_embedder.embed_query(query)
        assert int(np.argmax(scores)) == expected, (query, scores)
        assert scores[expected] - np.delete(scores, expected).max() > 0.1


async def test_texts_are_truncated_at_256_tokens(local_embedder: LocalEmbedder) -> None:
    shared = " ".join(f"word{i}" for i in range(300))  # well over 256 word pieces
    a, b = await local_embedder.embed_documents([shared + " apples", shared + " oranges"])
    np.testing.assert_allclose(a, b, atol=1e-6)
    short = await local_embedder.embed_documents(["tiny " * 100 + "apples", "tiny " * 100 + "oranges"])
    assert float(short[0] @ short[1]) < 0.9999  # under 256 tokens the ending still counts


async def test_embedding_does_not_block_the_event_loop(local_embedder: LocalEmbedder) -> None:
    await local_embedder.load()
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.005)
            ticks += 1

    task = asyncio.create_task(ticker())
    loop = asyncio.get_running_loop()
    started = loop.time()
    await local_embedder.embed_documents([SENTENCES[3]] * 16)
    elapsed = loop.time() - started
    task.cancel()
    assert ticks >= min(5, elapsed / 0.005 / 4), (ticks, elapsed)


async def test_converted_graph_agrees_with_the_shipped_one(
    local_embedder: LocalEmbedder, tmp_path: Path
) -> None:
    shipped = LocalEmbedder(cache_dir=tmp_path, convert_model=False)
    fast = await local_embedder.embed_documents(SENTENCES)
    reference = await shipped.embed_documents(SENTENCES)
    assert shipped.model_path == shipped_model_path()
    assert local_embedder.model_path == converted_model_path(local_embedder.cache_dir)
    cosines = np.sum(fast * reference, axis=1)
    assert cosines.min() > 0.99, cosines


def test_converted_graph_keeps_layer_norm_and_gelu_apart_from_their_adds(model_cache: Path) -> None:
    # onnxruntime 1.32's fused SkipLayerNormalization and BiasGelu CPU kernels are slower than the plain ops.
    import onnx

    ops = Counter(node.op_type for node in onnx.load(str(convert_model(model_cache))).graph.node)
    assert ops["QAttention"] == 6 and ops["LayerNormalization"] == 13 and ops["Gelu"] == 6
    assert ops["SkipLayerNormalization"] == ops["BiasGelu"] == 0


def test_conversion_is_idempotent_and_leaves_no_temporary_files(model_cache: Path) -> None:
    target = converted_model_path(model_cache)
    before = target.stat().st_mtime_ns
    assert convert_model(model_cache) == target
    assert target.stat().st_mtime_ns == before
    assert [p.name for p in model_cache.iterdir()] == [target.name]


async def test_falls_back_to_the_shipped_graph_without_conversion_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)  # as if `onnx` were not installed
    embedder = LocalEmbedder(cache_dir=tmp_path)
    vector = await embedder.embed_query("still works")
    assert embedder.model_path == shipped_model_path()
    assert vector.shape == (384,)
    assert list(tmp_path.iterdir()) == []
