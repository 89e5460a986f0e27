"""Groq speech-to-text through the official SDK, against the local wire-protocol fake."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator

import numpy as np
import pytest

from parley.providers.stt.base import Transcriber, TranscriptionError
from parley.providers.stt.groq_stt import GroqTranscriber
from parley.voice.audio import decode_to_pcm16k
from tests.fakes.base import serve_app
from tests.fakes.groq_stt import Fail, FakeGroqTranscriptions, Transcribe
from tests.voice.clips import clip

SPEECH = clip("goforward.wav")


@pytest.fixture
def fake() -> FakeGroqTranscriptions:
    return FakeGroqTranscriptions()


@pytest.fixture
def base_url(fake: FakeGroqTranscriptions) -> Iterator[str]:
    with serve_app(fake.app) as url:
        yield url


def _transcriber(base_url: str, api_key: str, **options) -> GroqTranscriber:
    return GroqTranscriber(api_key=api_key, base_url=base_url, model="whisper-large-v3-turbo", **options)


async def test_sends_wav_and_reads_verbose_json(fake: FakeGroqTranscriptions, base_url: str) -> None:
    fake.enqueue(Transcribe("Go forward ten meters."))
    stt = _transcriber(base_url, fake.api_key)
    assert isinstance(stt, Transcriber)
    pcm = decode_to_pcm16k(SPEECH.path)

    transcript = await stt.transcribe(pcm, language="en")

    assert transcript.text == "Go forward ten meters."
    assert transcript.language == "en"
    assert transcript.duration_s == pytest.approx(2.79, abs=0.01)
    assert not transcript.no_speech
    sent = fake.requests[0]
    assert sent.fields["model"] == "whisper-large-v3-turbo"
    assert sent.fields["language"] == "en"
    assert sent.fields["response_format"] == "verbose_json"
    assert sent.headers["authorization"] == f"Bearer {fake.api_key}"
    with wave.open(io.BytesIO(sent.audio)) as wav:  # a real, lossless 16 kHz mono WAV
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (16_000, 1, 2)
        samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2")
    assert np.abs(samples / 32767.0 - pcm).max() < 1e-3
    await stt.aclose()


async def test_detects_language_when_not_given(fake: FakeGroqTranscriptions, base_url: str) -> None:
    fake.enqueue(Transcribe("Avancez de dix mètres.", language="French"))
    stt = _transcriber(base_url, fake.api_key)

    transcript = await stt.transcribe(decode_to_pcm16k(SPEECH.path))

    assert transcript.language == "fr"
    assert "language" not in fake.requests[0].fields


async def test_silence_is_no_speech(fake: FakeGroqTranscriptions, base_url: str) -> None:
    fake.enqueue(Transcribe("Thank you."))  # what Whisper may invent; the fake answers silence with nothing
    stt = _transcriber(base_url, fake.api_key)

    transcript = await stt.transcribe(np.zeros(16_000, np.float32))

    assert transcript.no_speech and transcript.text == ""


async def test_bad_key_is_not_retryable(fake: FakeGroqTranscriptions, base_url: str) -> None:
    stt = _transcriber(base_url, "gsk_wrong")
    with pytest.raises(TranscriptionError) as raised:
        await stt.transcribe(decode_to_pcm16k(SPEECH.path))
    assert not raised.value.retryable
    assert "Invalid API Key" in str(raised.value)


async def test_rate_limit_is_retryable_with_its_delay(fake: FakeGroqTranscriptions, base_url: str) -> None:
    fake.enqueue(Fail(429, retry_after=7))
    stt = _transcriber(base_url, fake.api_key, max_retries=0)
    with pytest.raises(TranscriptionError) as raised:
        await stt.transcribe(decode_to_pcm16k(SPEECH.path))
    assert raised.value.retryable and raised.value.retry_after_s == 7


async def test_sdk_retries_a_server_error(fake: FakeGroqTranscriptions, base_url: str) -> None:
    fake.enqueue(Fail(500, retry_after=0.01), Transcribe("go forward ten meters"))
    stt = _transcriber(base_url, fake.api_key, max_retries=1)

    transcript = await stt.transcribe(decode_to_pcm16k(SPEECH.path))

    assert transcript.text == "go forward ten meters"
    assert len(fake.requests) == 2


async def test_unknown_model_fails_clearly(fake: FakeGroqTranscriptions, base_url: str) -> None:
    stt = GroqTranscriber(api_key=fake.api_key, base_url=base_url, model="whisper-tiny")
    with pytest.raises(TranscriptionError, match="does not exist"):
        await stt.transcribe(decode_to_pcm16k(SPEECH.path))
