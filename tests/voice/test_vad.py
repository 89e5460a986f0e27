"""Streaming VAD on real speech padded with silence and noise."""

from __future__ import annotations

import time

import numpy as np
import pytest

from parley.voice.audio import decode_to_pcm16k
from parley.voice.utterances import UtteranceCollector
from parley.voice.vad import SileroVad, has_speech, speech_segments
from tests.voice.clips import clip

RATE = 16_000


def _speech() -> np.ndarray:
    return decode_to_pcm16k(clip("goforward.wav").path)


def _room_noise(seconds: float, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(0, 0.002, int(seconds * RATE)).astype(np.float32)


def _feed_in_pieces(vad: SileroVad, audio: np.ndarray, piece: int = 320) -> list:
    events = []
    for start in range(0, len(audio), piece):  # 20 ms pieces, as a browser sends them
        events += vad.process(audio[start : start + piece])
    return events + vad.flush()


def _speech_bounds(speech: np.ndarray) -> tuple[float, float]:
    """Where the talker is loud, by energy: the ground truth for the VAD to approach."""
    windows = np.sqrt(np.mean(speech[: len(speech) // 320 * 320].reshape(-1, 320) ** 2, axis=1))
    loud = np.flatnonzero(windows > 0.1 * windows.max())
    return loud[0] * 0.02, (loud[-1] + 1) * 0.02


def test_finds_start_and_end_of_speech_padded_with_silence() -> None:
    speech = _speech()
    lead, tail = 1.5, 2.0
    audio = np.concatenate(
        [_room_noise(lead), speech + _room_noise(len(speech) / RATE, 1), _room_noise(tail, 2)]
    )
    vad = SileroVad(min_silence_ms=500)

    events = _feed_in_pieces(vad, audio)

    assert [e.kind for e in events] == ["speech_start", "speech_end"]
    talk_start, talk_end = _speech_bounds(speech)
    assert events[0].time_s == pytest.approx(lead + talk_start, abs=0.25)
    assert events[1].time_s == pytest.approx(lead + talk_end, abs=0.4)
    assert not vad.in_speech


def test_speech_end_waits_for_the_configured_silence() -> None:
    audio = np.concatenate([_room_noise(0.5), _speech(), _room_noise(3.0, 3)])
    heard_at: dict[int, float] = {}
    for silence_ms in (300, 1500):
        vad = SileroVad(min_silence_ms=silence_ms)
        fed = 0
        for start in range(0, len(audio), 512):
            fed += len(audio[start : start + 512])
            if any(e.kind == "speech_end" for e in vad.process(audio[start : start + 512])):
                heard_at[silence_ms] = fed / RATE
                break
    assert heard_at[1500] - heard_at[300] == pytest.approx(1.2, abs=0.1)


def test_silence_and_noise_hold_no_speech() -> None:
    assert not has_speech(np.zeros(3 * RATE, np.float32))
    assert not has_speech(np.random.default_rng(4).normal(0, 0.05, 3 * RATE).astype(np.float32))
    assert has_speech(_speech())


def test_two_utterances_are_cut_apart() -> None:
    speech = _speech()
    audio = np.concatenate([_room_noise(0.5), speech, _room_noise(1.5, 5), speech, _room_noise(1.0, 6)])
    collector = UtteranceCollector(SileroVad(min_silence_ms=600))

    utterances = []
    for start in range(0, len(audio), 480):
        utterances += collector.feed(audio[start : start + 480])
    utterances += collector.flush()

    assert len(utterances) == 2
    talk_start, talk_end = _speech_bounds(speech)
    for utterance in utterances:
        assert len(utterance) / RATE == pytest.approx(talk_end - talk_start, abs=0.5)
        assert has_speech(utterance)
    assert speech_segments(audio) == speech_segments(audio.copy())  # batch is deterministic
    assert len(speech_segments(audio)) == 2


def test_streaming_matches_whole_clip() -> None:
    audio = np.concatenate([_room_noise(1.0), _speech(), _room_noise(1.0, 7)])
    whole = SileroVad()
    streamed = SileroVad()
    assert whole.process(audio) + whole.flush() == _feed_in_pieces(streamed, audio, piece=777)


def test_is_cheap_per_frame() -> None:
    audio = np.tile(_speech(), 4)  # ~11 s
    vad = SileroVad()
    started = time.perf_counter()
    for start in range(0, len(audio), 512):
        vad.process(audio[start : start + 512])
    per_frame_ms = (time.perf_counter() - started) * 1000 / (len(audio) / 512)
    assert per_frame_ms < 3.0  # a frame is 32 ms of audio; typically ~0.3 ms on one core
