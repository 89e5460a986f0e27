"""The text-to-speech interface every provider implements."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class AudioChunk:
    pcm: bytes  # int16 little-endian mono
    sample_rate: int
    text: str  # the sentence this audio speaks

    @property
    def duration_s(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


@runtime_checkable
class Synthesizer(Protocol):
    """Speaks text one sentence at a time, so playback can start after the first sentence."""

    name: str
    sample_rate: int

    def stream(
        self, text: str, *, voice: str | None = None, speed: float = 1.0
    ) -> AsyncIterator[AudioChunk]: ...


class SynthesisError(RuntimeError):
    """A provider failed; `retryable` tells the caller whether trying again later may help."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


async def prefetched(
    sentences: Sequence[str],
    synthesize: Callable[[str], Awaitable[AudioChunk]],
    *,
    lookahead: int = 1,
) -> AsyncIterator[AudioChunk]:
    """Yield each sentence's audio in order while the next `lookahead` sentences are already being
    synthesized, so there is no gap between sentences. Stopping early cancels the work in flight."""
    pending: list[asyncio.Task[AudioChunk]] = []
    try:
        for index in range(len(sentences)):
            while len(pending) <= lookahead and index + len(pending) < len(sentences):
                pending.append(asyncio.ensure_future(synthesize(sentences[index + len(pending)])))
            yield await pending.pop(0)
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
