"""The speech-to-text interface every provider implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str | None  # ISO-639-1 code when known
    duration_s: float  # length of the audio that was sent
    no_speech: bool  # the model heard no speech (silence, noise): text is empty or not to be trusted


@runtime_checkable
class Transcriber(Protocol):
    """Turns 16 kHz mono float32 audio (see voice.audio.decode_to_pcm16k) into text."""

    name: str

    async def transcribe(self, pcm: np.ndarray, *, language: str | None = None) -> Transcript: ...


class TranscriptionError(RuntimeError):
    """A provider failed; `retryable` tells the caller whether trying again later may help."""

    def __init__(self, message: str, *, retryable: bool = False, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after_s = retry_after_s
