"""The embedding interface every provider implements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns text into unit-length float32 vectors.

    `name` is the stable model id stored with each bot's vectors: vectors made
    under different names are never compared.
    """

    name: str
    dim: int

    async def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """float32 array of shape (len(texts), dim), rows L2-normalised."""
        ...

    async def embed_query(self, text: str) -> np.ndarray:
        """float32 array of shape (dim,), L2-normalised."""
        ...


class EmbeddingError(RuntimeError):
    """A provider failed to embed; `retryable` tells a job whether to try again later."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


def l2_normalise(rows: np.ndarray) -> np.ndarray:
    """Scale each row to unit length (zero rows stay zero) as float32."""
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)
