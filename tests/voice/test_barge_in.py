"""The barge-in guard: hold the bot's audio at the first sign of speech, never for noise."""

from __future__ import annotations

import numpy as np
import pytest

from parley.voice.audio import decode_to_pcm16k
from parley.voice.barge_in import FRAME_MS, FloorGuard
from parley.voice.vad import FRAME_SAMPLES, SileroVad
from tests.voice.clips import speech_clips

RATE = 16_000


def test_holds_while_frames_sound_like_speech_and_lets_go_after():
    guard = FloorGuard(hold_threshold=0.3, max_hold_ms=400)
    assert not guard.update([0.02, 0.05], in_speech=False)
    assert guard.update([0.1, 0.35], in_speech=False)
    assert not guard.update([0.1], in_speech=False)


def test_steady_noise_near_the_threshold_does_not_silence_the_bot():
    guard = FloorGuard(hold_threshold=0.3, max_hold_ms=400)
    held = [guard.update([0.4], in_speech=False) for _ in range(100)]  # 3.2 s of a humming fan
    assert sum(held) * FRAME_MS <= 400 + FRAME_MS
    assert not held[-1]


def test_confirmed_speech_holds_until_it_ends():
    guard = FloorGuard(hold_threshold=0.3, max_hold_ms=100)
    assert all(guard.update([0.9], in_speech=True) for _ in range(50))


def run(audio: np.ndarray, piece: int = FRAME_SAMPLES) -> tuple[list[bool], list[str]]:
    """Per 32 ms frame: does the guard hold? and the VAD's events, as the realtime session feeds them."""
    vad = SileroVad()
    guard = FloorGuard.for_vad(0.5, 200)
    held, events, in_speech = [], [], False
    for start in range(0, len(audio), piece):
        for event in vad.process(audio[start:start + piece]):
            events.append(event.kind)
            in_speech = event.kind == "speech_start"
        held.append(guard.update(vad.last_probabilities, in_speech=in_speech))
    return held, events


@pytest.mark.parametrize("clip", speech_clips(), ids=lambda c: c.path.name)
def test_holds_soon_after_speech_onset(clip):
    speech = decode_to_pcm16k(clip.path)
    audio = np.concatenate([np.zeros(RATE // 2, np.float32), speech])
    onset = np.flatnonzero(np.abs(audio) > 0.02)[0] / RATE
    held, events = run(audio)
    first_hold = held.index(True) * FRAME_SAMPLES / RATE
    assert "speech_start" in events
    assert first_hold - onset < 0.25, (first_hold, onset)


def test_noise_bursts_pause_at_most_briefly_and_never_barge_in():
    rng = np.random.default_rng(0)
    speech = decode_to_pcm16k(speech_clips()[0].path)
    loud = np.flatnonzero(np.abs(speech) > 0.1)[0]
    bursts = [rng.normal(0, 0.3, RATE * 3 // 10),  # 300 ms of loud hiss
              np.full(160, 0.8),  # a click
              speech[loud + 1000: loud + 1000 + RATE // 4]]  # a quarter-second blip of voice, like a cough
    silence = np.zeros(RATE // 2, np.float32)
    audio = np.concatenate([silence, *(np.concatenate([b.astype(np.float32), silence]) for b in bursts)])
    held, events = run(audio)
    assert events == []  # no barge-in
    assert sum(held) * FRAME_MS <= 400 and not held[-1]
