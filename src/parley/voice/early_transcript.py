"""Transcribe an utterance as soon as the visitor pauses, before the VAD's silence window confirms
that they have finished: when it does, the transcript is ready or nearly so.

Whisper costs about 0.4 s whatever the length of the clip, which is longer than the rest of the
window, so starting early takes most of that wait off the answer. If the visitor speaks again,
the early transcript is dropped and the whole utterance is transcribed when it really ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import numpy as np

from parley.providers.stt.base import Transcriber, Transcript
from parley.voice.vad import SileroVad

START_AFTER_MS = 120  # a pause this long starts an early transcript (shorter pauses are within words)


class EarlyTranscript:
    def __init__(self, transcriber: Transcriber, *, language: str | None, start_after_ms: float = START_AFTER_MS):
        self.transcriber = transcriber
        self.language = language
        self.start_after_ms = start_after_ms
        self._task: asyncio.Task[Transcript] | None = None

    def update(self, vad: SileroVad, open_utterance: Callable[[], np.ndarray]) -> None:
        """Call after each piece of audio: starts on a long enough pause, drops when speech resumes."""
        if not vad.in_speech:
            return  # the utterance has ended (or not begun): `transcribe` takes what is there
        if vad.silence_ms == 0:
            self.discard()
        elif vad.silence_ms >= self.start_after_ms and self._task is None:
            self._task = asyncio.create_task(self.transcriber.transcribe(open_utterance(), language=self.language))

    def discard(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def transcribe(self, utterance: np.ndarray) -> Transcript:
        """The utterance's transcript: the early one if it was started, else a fresh one."""
        task, self._task = self._task, None
        if task is not None:
            try:
                return await task
            except Exception:  # noqa: BLE001 - a failed early run is retried the normal way
                pass
        return await self.transcriber.transcribe(utterance, language=self.language)
