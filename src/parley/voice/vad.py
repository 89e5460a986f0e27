"""Streaming voice-activity detection with Silero VAD (the ONNX model faster-whisper ships).

Feed 16 kHz float32 audio in pieces of any size; get `speech_start` / `speech_end`
events with their position in the stream. The model sees 32 ms frames and keeps
its LSTM state between calls, so the cost is one small ONNX run per call
(about 0.2 ms of CPU per frame).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Literal

import numpy as np
import onnxruntime

SAMPLE_RATE = 16_000
FRAME_SAMPLES = 512  # 32 ms: the frame size Silero VAD is trained on at 16 kHz
_CONTEXT_SAMPLES = 64  # Silero v5+ looks at the tail of the previous frame


def default_model_path() -> str:
    import faster_whisper

    return os.path.join(os.path.dirname(faster_whisper.__file__), "assets", "silero_vad_v6.onnx")


@functools.lru_cache(maxsize=4)
def _session(model_path: str) -> onnxruntime.InferenceSession:
    # One session shared by all streams: state lives in SileroVad, not in the session.
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"], sess_options=options)


@dataclass(frozen=True)
class VadEvent:
    kind: Literal["speech_start", "speech_end"]
    sample: int  # position in the stream, in 16 kHz samples

    @property
    def time_s(self) -> float:
        return self.sample / SAMPLE_RATE


class SileroVad:
    """One audio stream's detector. Not thread-safe; create one per stream.

    threshold: speech probability that starts speech; speech ends once the
        probability stays below `threshold - 0.15` for `min_silence_ms`.
    min_speech_ms: shorter bursts (clicks, coughs) do not start speech.
    speech_pad_ms: reported start is moved earlier and end later by this much,
        so slicing the stream at the events does not clip the words.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        min_silence_ms: int = 600,
        min_speech_ms: int = 200,
        speech_pad_ms: int = 64,
        model_path: str | None = None,
    ) -> None:
        self.threshold = threshold
        self.neg_threshold = max(threshold - 0.15, 0.01)
        self.min_silence_samples = min_silence_ms * SAMPLE_RATE // 1000
        self.min_speech_samples = min_speech_ms * SAMPLE_RATE // 1000
        self.pad_samples = speech_pad_ms * SAMPLE_RATE // 1000
        self._session = _session(model_path or default_model_path())
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT_SAMPLES, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)
        self._position = 0  # samples consumed by the model so far
        self._in_speech = False
        self._candidate_start: int | None = None
        self._silence_start: int | None = None
        self.last_probability = 0.0
        self.last_probabilities: list[float] = []  # one per frame of the last process() call

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    @property
    def silence_ms(self) -> float:
        """How long the speech has been paused (0 while speaking or outside speech)."""
        if not self._in_speech or self._silence_start is None:
            return 0.0
        return (self._position - self._silence_start) * 1000 / SAMPLE_RATE

    def process(self, pcm: np.ndarray) -> list[VadEvent]:
        """Feed the next piece of the stream; returns the events it completes."""
        audio = np.concatenate([self._pending, np.asarray(pcm, dtype=np.float32).ravel()])
        n_frames = len(audio) // FRAME_SAMPLES
        self._pending = audio[n_frames * FRAME_SAMPLES :]
        if n_frames == 0:
            self.last_probabilities = []
            return []
        probabilities = self._run(audio[: n_frames * FRAME_SAMPLES].reshape(n_frames, FRAME_SAMPLES))
        self.last_probabilities = probabilities.tolist()
        events: list[VadEvent] = []
        for probability in probabilities:
            event = self._step(float(probability))
            if event is not None:
                events.append(event)
        return events

    def flush(self) -> list[VadEvent]:
        """End of stream: close an open speech segment."""
        if not self._in_speech:
            return []
        self._in_speech = False
        end = self._silence_start if self._silence_start is not None else self._position
        return [VadEvent("speech_end", min(end + self.pad_samples, self._position))]

    def _run(self, frames: np.ndarray) -> np.ndarray:
        # All complete frames go through in one call: the model runs its LSTM over the
        # sequence, which gives exactly the probabilities of frame-by-frame calls.
        context = np.empty((len(frames), _CONTEXT_SAMPLES), dtype=np.float32)
        context[0] = self._context
        context[1:] = frames[:-1, -_CONTEXT_SAMPLES:]
        self._context = frames[-1, -_CONTEXT_SAMPLES:].copy()
        batch = np.concatenate([context, frames], axis=1)
        probabilities, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        return np.asarray(probabilities).ravel()

    def _step(self, probability: float) -> VadEvent | None:
        frame_start = self._position
        self._position += FRAME_SAMPLES
        self.last_probability = probability
        if not self._in_speech:
            if probability < self.threshold:
                self._candidate_start = None
                return None
            if self._candidate_start is None:
                self._candidate_start = frame_start
            if self._position - self._candidate_start < self.min_speech_samples:
                return None
            self._in_speech = True
            self._silence_start = None
            return VadEvent("speech_start", max(self._candidate_start - self.pad_samples, 0))
        if probability >= self.threshold:
            self._silence_start = None
            return None
        if probability >= self.neg_threshold:
            return None  # hysteresis: neither speech nor silence, keep waiting
        if self._silence_start is None:
            self._silence_start = frame_start
        if self._position - self._silence_start < self.min_silence_samples:
            return None
        self._in_speech = False
        self._candidate_start = None
        end = min(self._silence_start + self.pad_samples, self._position)
        self._silence_start = None
        return VadEvent("speech_end", end)


def speech_segments(pcm: np.ndarray, **vad_options: object) -> list[tuple[int, int]]:
    """(start, end) sample ranges of speech in a whole clip."""
    vad = SileroVad(**vad_options)  # type: ignore[arg-type]
    segments: list[tuple[int, int]] = []
    start: int | None = None
    for event in [*vad.process(pcm), *vad.flush()]:
        if event.kind == "speech_start":
            start = event.sample
        elif start is not None:
            segments.append((start, event.sample))
            start = None
    return segments


def has_speech(pcm: np.ndarray, *, threshold: float = 0.5, min_speech_ms: int = 200) -> bool:
    """True if the clip holds at least `min_speech_ms` of speech (rejects silence and noise)."""
    return bool(speech_segments(pcm, threshold=threshold, min_speech_ms=min_speech_ms))
