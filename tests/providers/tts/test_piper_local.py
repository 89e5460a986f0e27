"""Piper in its own process: streaming, round trip through Whisper, crash recovery."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from parley.providers.stt.whisper_local import WhisperLocalTranscriber
from parley.providers.tts.base import AudioChunk, SynthesisError, Synthesizer
from parley.providers.tts.piper_local import PiperSynthesizer
from parley.voice.audio import is_silence, resample
from parley.voice.vad import has_speech
from parley.voice.wer import word_error_rate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
async def piper() -> AsyncIterator[PiperSynthesizer]:
    synthesizer = PiperSynthesizer()
    await synthesizer.start()
    yield synthesizer
    await synthesizer.aclose()


@pytest.fixture(scope="module")
def whisper() -> Iterator[WhisperLocalTranscriber]:
    transcriber = WhisperLocalTranscriber(cpu_threads=2)
    yield transcriber
    transcriber.close()


async def _collect(stream: AsyncIterator[AudioChunk]) -> list[AudioChunk]:
    return [chunk async for chunk in stream]


async def test_streams_one_chunk_per_sentence(piper: PiperSynthesizer) -> None:
    assert isinstance(piper, Synthesizer)
    text = "Hello! Dr. Jones will see you at 3.30 today. Please bring your card."

    chunks = await _collect(piper.stream(text))

    assert [c.text for c in chunks] == [
        "Hello!",
        "Dr. Jones will see you at 3.30 today.",
        "Please bring your card.",
    ]
    for chunk in chunks:
        assert chunk.sample_rate == piper.sample_rate == 22_050
        assert not is_silence(chunk.pcm)
        assert has_speech(resample(chunk.pcm, chunk.sample_rate, 16_000))
    assert chunks[0].duration_s < chunks[1].duration_s


async def test_first_chunk_comes_before_the_rest_is_spoken(piper: PiperSynthesizer) -> None:
    text = "Yes. " + " ".join(f"This is sentence number {n} of a rather long answer." for n in range(6))
    started = time.perf_counter()
    first_at = None
    async for _ in piper.stream(text):
        first_at = first_at or time.perf_counter() - started
    total = time.perf_counter() - started
    assert first_at is not None and first_at < total / 4


async def test_round_trip_piper_to_whisper(piper: PiperSynthesizer, whisper: WhisperLocalTranscriber) -> None:
    sentence = "The quick brown fox jumps over the lazy dog."
    (chunk,) = await _collect(piper.stream(sentence))

    heard = await whisper.transcribe(resample(chunk.pcm, chunk.sample_rate, 16_000))

    assert word_error_rate(sentence, heard.text) == 0.0, heard.text


async def test_speed_changes_duration(piper: PiperSynthesizer) -> None:
    text = "Speaking at a different pace."
    (normal,) = await _collect(piper.stream(text))
    (fast,) = await _collect(piper.stream(text, speed=1.5))
    assert fast.duration_s < 0.85 * normal.duration_s


async def test_concurrent_streams_share_the_worker(piper: PiperSynthesizer) -> None:
    texts = ["First caller. Has two sentences.", "Second caller speaks. Also twice."]
    results = await asyncio.gather(*(_collect(piper.stream(t)) for t in texts))
    assert [[c.text for c in r] for r in results] == [
        ["First caller.", "Has two sentences."],
        ["Second caller speaks.", "Also twice."],
    ]


async def test_an_abandoned_stream_does_not_confuse_the_next(piper: PiperSynthesizer) -> None:
    stream = piper.stream("One. Two. Three. Four.")
    first = await anext(stream)
    await stream.aclose()  # the listener hung up after the first sentence

    (chunk,) = await _collect(piper.stream("Fresh start."))

    assert first.text == "One." and chunk.text == "Fresh start."


async def test_restarts_a_worker_that_died(piper: PiperSynthesizer) -> None:
    old_pid = piper.pid
    assert old_pid is not None
    os.kill(old_pid, signal.SIGKILL)
    await asyncio.sleep(0.3)

    (chunk,) = await _collect(piper.stream("Back again."))

    assert chunk.text == "Back again." and not is_silence(chunk.pcm)
    assert piper.pid not in (None, old_pid)


async def test_a_hung_worker_times_out_and_is_replaced() -> None:
    synthesizer = PiperSynthesizer(sentence_timeout_s=2.0)
    await synthesizer.start()
    pid = synthesizer.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # frozen, not dead
    try:
        with pytest.raises(SynthesisError) as raised:
            await _collect(synthesizer.stream("Are you there?"))
        assert raised.value.retryable
        (chunk,) = await _collect(synthesizer.stream("Now I am."))
        assert chunk.text == "Now I am." and synthesizer.pid != pid
    finally:
        await synthesizer.aclose()


def test_the_apache_side_never_imports_piper() -> None:
    code = (
        "import sys, parley.providers.tts.piper_local as m; m.PiperSynthesizer(); "
        "assert not any(n == 'piper' or n.startswith('piper.') for n in sys.modules), 'piper imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
