"""Deepgram Aura through the official deepgram-sdk, against the local wire-protocol fake."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from parley.providers.tts.base import AudioChunk, SynthesisError, Synthesizer
from parley.providers.tts.deepgram_tts import DeepgramSynthesizer
from parley.voice.audio import resample
from parley.voice.vad import has_speech
from tests.fakes.base import serve_app
from tests.fakes.deepgram import Fail, FakeDeepgramSpeak

TEXT = "Welcome to Parley. Your order No. 42 has shipped! Anything else?"


@pytest.fixture
def fake() -> FakeDeepgramSpeak:
    return FakeDeepgramSpeak(chunk_bytes=1001)  # odd-sized pieces, as a network delivers them


@pytest.fixture
def base_url(fake: FakeDeepgramSpeak) -> Iterator[str]:
    with serve_app(fake.app) as url:
        yield url


async def _collect(stream: AsyncIterator[AudioChunk]) -> list[AudioChunk]:
    return [chunk async for chunk in stream]


async def test_speaks_sentence_by_sentence(fake: FakeDeepgramSpeak, base_url: str) -> None:
    tts = DeepgramSynthesizer(api_key=fake.api_key, base_url=base_url, sample_rate=24_000)
    assert isinstance(tts, Synthesizer)

    chunks = await _collect(tts.stream(TEXT))

    assert [c.text for c in chunks] == [
        "Welcome to Parley.",
        "Your order No. 42 has shipped!",
        "Anything else?",
    ]
    sent = {r.text: r for r in fake.requests}  # the next sentence is requested early: any order
    assert sorted(sent) == sorted(c.text for c in chunks)
    for chunk in chunks:
        request = sent[chunk.text]
        assert chunk.sample_rate == 24_000
        assert len(chunk.pcm) % 2 == 0 and not chunk.pcm.startswith(b"RIFF")  # raw samples, no header
        assert chunk.duration_s == pytest.approx(max(0.8, 0.1 + 0.35 * len(chunk.text.split())), abs=0.01)
        assert has_speech(resample(chunk.pcm, 24_000, 16_000))  # the fake's audio is speech-like
        assert request.headers["authorization"] == f"Token {fake.api_key}"
        assert request.params["model"] == "aura-2-thalia-en"
        assert request.params["encoding"] == "linear16"
        assert request.params["container"] == "none"
        assert int(float(request.params["sample_rate"])) == 24_000
        assert "speed" not in request.params
    await tts.aclose()


async def test_voice_and_speed_go_to_deepgram(fake: FakeDeepgramSpeak, base_url: str) -> None:
    tts = DeepgramSynthesizer(api_key=fake.api_key, base_url=base_url, sample_rate=16_000)

    (chunk,) = await _collect(tts.stream("Faster please.", voice="aura-2-orion-en", speed=1.25))

    assert fake.requests[0].params["model"] == "aura-2-orion-en"
    assert float(fake.requests[0].params["speed"]) == 1.25
    assert chunk.sample_rate == 16_000


async def test_bad_key_fails_without_retry(fake: FakeDeepgramSpeak, base_url: str) -> None:
    tts = DeepgramSynthesizer(api_key="wrong", base_url=base_url)
    with pytest.raises(SynthesisError) as raised:
        await _collect(tts.stream(TEXT))
    assert not raised.value.retryable
    assert "Invalid credentials" in str(raised.value)


async def test_rate_limit_mid_answer_keeps_what_was_spoken(fake: FakeDeepgramSpeak, base_url: str) -> None:
    tts = DeepgramSynthesizer(api_key=fake.api_key, base_url=base_url, lookahead=0)
    stream = tts.stream(TEXT)
    first = await anext(stream)
    fake.enqueue(Fail(429))

    with pytest.raises(SynthesisError) as raised:
        await anext(stream)

    assert first.text == "Welcome to Parley."
    assert raised.value.retryable and "Too many requests" in str(raised.value)


async def test_unreachable_service_is_retryable() -> None:
    from tests.fakes.base import free_port

    tts = DeepgramSynthesizer(api_key="k", base_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(SynthesisError) as raised:
        await _collect(tts.stream("Hello."))
    assert raised.value.retryable
