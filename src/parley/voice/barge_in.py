"""Pipeline stage: should the bot hold its audio because the visitor may be talking?

Barge-in has two steps. Holding the audio is cheap and undone at once, so it starts at the first
32 ms VAD frame over `hold_threshold`, which sits under the VAD's speech threshold (Silero's
probability takes a frame or more to climb on a soft onset). Cancelling the answer waits for the
VAD to confirm speech (its minimum speech length keeps coughs and clicks out). A burst that is
not confirmed only pauses the audio, for less than the client's playback lead, and the answer
goes on. A steady noise near the threshold (a fan, a TV) must not silence the bot: a hold that
the VAD has not confirmed within `max_hold_ms` is let go until the probability falls back.
"""

from __future__ import annotations

from collections.abc import Iterable

from parley.voice.vad import FRAME_SAMPLES, SAMPLE_RATE

FRAME_MS = FRAME_SAMPLES * 1000 / SAMPLE_RATE


class FloorGuard:
    def __init__(self, *, hold_threshold: float = 0.3, max_hold_ms: int = 400) -> None:
        self.hold_threshold = hold_threshold
        self.max_hold_frames = max(1, round(max_hold_ms / FRAME_MS))
        self._frames_over = 0  # consecutive frames over hold_threshold

    @classmethod
    def for_vad(cls, vad_threshold: float, min_speech_ms: int) -> FloorGuard:
        # Confirmation needs min_speech_ms over vad_threshold, which may start a few frames late.
        return cls(hold_threshold=max(vad_threshold - 0.2, 0.15), max_hold_ms=min_speech_ms + 200)

    def update(self, probabilities: Iterable[float], *, in_speech: bool) -> bool:
        """Feed the VAD's frame probabilities; True while the bot must hold its audio."""
        for probability in probabilities:
            self._frames_over = self._frames_over + 1 if probability >= self.hold_threshold else 0
        return in_speech or 0 < self._frames_over <= self.max_hold_frames

    def release(self) -> None:
        """The visitor says they are done (a `commit`): the bot may talk, whatever the last frames scored."""
        self._frames_over = 0
