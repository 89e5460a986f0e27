"""Embeddings from any server speaking OpenAI's POST /v1/embeddings (OpenAI, vLLM, TEI, Ollama...)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import openai
from openai import AsyncOpenAI

from parley.providers.embeddings.base import EmbeddingError, l2_normalise


class OpenAICompatEmbedder:
    """Remote embedder through the official `openai` SDK.

    The SDK retries connection errors, 408/409/429 and 5xx with backoff
    (honouring Retry-After); what still fails is raised as EmbeddingError.
    Build it inside the event loop that will use it (the SDK's HTTP pool is
    bound to that loop).
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        model: str,
        dim: int,
        name: str | None = None,
        batch_size: int = 128,
        send_dimensions: bool = False,
        max_retries: int = 3,
        timeout: float = 60.0,
    ) -> None:
        self.name = name or model
        self.dim = dim
        self.model = model
        self.batch_size = batch_size
        # Only text-embedding-3 style models accept `dimensions`; others reject it.
        self.send_dimensions = send_dimensions
        self.client = AsyncOpenAI(
            base_url=base_url, api_key=api_key, max_retries=max_retries, timeout=timeout
        )

    async def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = list(texts[start : start + self.batch_size])
            vectors[start : start + len(batch)] = await self._embed_batch(batch)
        return vectors

    async def embed_query(self, text: str) -> np.ndarray:
        return (await self.embed_documents([text]))[0]

    async def close(self) -> None:
        await self.client.close()

    async def _embed_batch(self, texts: list[str]) -> np.ndarray:
        # OpenAI rejects empty strings; a space embeds as "nothing" just as well.
        inputs = [text if text.strip() else " " for text in texts]
        extra = {"dimensions": self.dim} if self.send_dimensions else {}
        try:
            # No encoding_format: the SDK asks for base64 and decodes it (a third of the bytes).
            response = await self.client.embeddings.create(model=self.model, input=inputs, **extra)
        except openai.APIStatusError as error:
            retryable = error.status_code == 429 or error.status_code >= 500
            raise EmbeddingError(
                f"{self.name}: HTTP {error.status_code}: {error.message}", retryable=retryable
            ) from error
        except openai.APIConnectionError as error:  # includes timeouts
            raise EmbeddingError(f"{self.name}: {error}", retryable=True) from error
        rows = sorted(response.data, key=lambda item: item.index)
        if len(rows) != len(inputs):
            raise EmbeddingError(f"{self.name}: sent {len(inputs)} texts, got {len(rows)} vectors")
        matrix = np.asarray([row.embedding for row in rows], dtype=np.float32)
        if matrix.shape[1] != self.dim:
            raise EmbeddingError(f"{self.name}: expected {self.dim} dimensions, got {matrix.shape[1]}")
        return l2_normalise(matrix)
