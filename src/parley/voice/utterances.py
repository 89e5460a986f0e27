"""Pipeline stage: a stream of 16 kHz audio in, complete utterances (speech segments) out."""

from __future__ import annotations

import numpy as np

from parley.voice.vad import SAMPLE_RATE, SileroVad


class UtteranceCollector:
    """Cuts a live audio stream into utterances with a SileroVad.

    feed() returns the utterances that ended in this piece; an utterance longer
    than `max_utterance_s` is cut there, so one endless speaker cannot grow the
    buffer without bound.
    """

    def __init__(self, vad: SileroVad | None = None, *, max_utterance_s: float = 30.0) -> None:
        self.vad = vad or SileroVad()
        self.max_samples = int(max_utterance_s * SAMPLE_RATE)
        self._buffer = np.zeros(0, dtype=np.float32)
        self._offset = 0  # stream position of self._buffer[0]
        self._start: int | None = None  # stream position where the open utterance began

    def feed(self, pcm: np.ndarray) -> list[np.ndarray]:
        self._buffer = np.concatenate([self._buffer, np.asarray(pcm, dtype=np.float32).ravel()])
        utterances: list[np.ndarray] = []
        for event in self.vad.process(pcm):
            if event.kind == "speech_start":
                self._start = max(event.sample, self._offset)
            elif self._start is not None:
                utterances.append(self._cut(self._start, event.sample))
                self._start = None
        end = self._offset + len(self._buffer)
        if self._start is not None and end - self._start >= self.max_samples:
            utterances.append(self._cut(self._start, end))
            self._start = end
        if self._start is None:
            self._trim(end - self.vad.min_speech_samples - self.vad.pad_samples - 2 * 512)  # keep pre-roll
        return utterances

    @property
    def in_utterance(self) -> bool:
        """The visitor is speaking now (an utterance has started and not ended)."""
        return self._start is not None

    def current(self) -> np.ndarray:
        """The open utterance so far (for partial transcripts); empty when nobody speaks."""
        if self._start is None:
            return np.zeros(0, dtype=np.float32)
        return self._buffer[self._start - self._offset :].copy()

    def flush(self) -> list[np.ndarray]:
        """End of stream: the open utterance, if any."""
        utterances: list[np.ndarray] = []
        for event in self.vad.flush():
            if self._start is not None:
                utterances.append(self._cut(self._start, event.sample))
        self._start = None
        return utterances

    def _cut(self, start: int, end: int) -> np.ndarray:
        utterance = self._buffer[start - self._offset : end - self._offset].copy()
        self._trim(end)
        return utterance

    def _trim(self, keep_from: int) -> None:
        drop = max(0, min(keep_from - self._offset, len(self._buffer)))
        self._buffer = self._buffer[drop:]
        self._offset += drop
