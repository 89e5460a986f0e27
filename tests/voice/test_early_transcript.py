"""Early transcripts: started on a pause, dropped when the visitor speaks again, used when the turn ends."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import numpy as np

from parley.providers.stt.base import Transcript
from parley.voice.early_transcript import EarlyTranscript


@dataclass
class Vad:
    in_speech: bool = True
    silence_ms: float = 0.0


class CountingTranscriber:
    def __init__(self) -> None:
        self.heard: list[int] = []

    async def transcribe(self, pcm: np.ndarray, *, language: str | None = None) -> Transcript:
        self.heard.append(len(pcm))
        await asyncio.sleep(0)
        return Transcript(text=f"{len(pcm)} samples", language=language, duration_s=len(pcm) / 16_000, no_speech=False)


def audio(n: int):
    return lambda: np.zeros(n, np.float32)


async def test_a_pause_starts_it_and_the_end_of_the_turn_uses_it():
    stt = CountingTranscriber()
    early = EarlyTranscript(stt, language="en", start_after_ms=120)
    early.update(Vad(silence_ms=60), audio(100))
    assert stt.heard == []  # a pause inside a word
    early.update(Vad(silence_ms=130), audio(200))
    early.update(Vad(silence_ms=300), audio(300))  # one early run per pause
    early.update(Vad(in_speech=False), audio(0))  # the VAD calls the end: keep it
    transcript = await early.transcribe(np.zeros(180, np.float32))
    assert transcript.text == "200 samples" and stt.heard == [200]


async def test_speaking_again_drops_it_and_the_whole_utterance_is_transcribed():
    stt = CountingTranscriber()
    early = EarlyTranscript(stt, language="en", start_after_ms=120)
    early.update(Vad(silence_ms=150), audio(200))
    early.update(Vad(silence_ms=0), audio(250))  # the visitor goes on
    transcript = await early.transcribe(np.zeros(400, np.float32))
    assert transcript.text == "400 samples"


async def test_without_a_pause_it_transcribes_normally():
    stt = CountingTranscriber()
    early = EarlyTranscript(stt, language="en")
    assert (await early.transcribe(np.zeros(50, np.float32))).text == "50 samples"
