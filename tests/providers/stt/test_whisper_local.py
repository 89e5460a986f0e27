"""Offline Whisper (tiny.en via faster-whisper) on real speech."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from parley.providers.stt.base import Transcriber
from parley.providers.stt.whisper_local import WhisperLocalTranscriber
from parley.voice.audio import decode_to_pcm16k, encode_audio
from parley.voice.wer import word_error_rate
from tests.voice.clips import clip, speech_clips

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def whisper() -> Iterator[WhisperLocalTranscriber]:
    transcriber = WhisperLocalTranscriber(beam_size=1, cpu_threads=2)
    yield transcriber
    transcriber.close()


async def test_word_error_rate_is_at_most_ten_percent(whisper: WhisperLocalTranscriber) -> None:
    clips = speech_clips()
    assert len(clips) == 3
    hypotheses = [(await whisper.transcribe(decode_to_pcm16k(c.path))).text for c in clips]

    wer = word_error_rate([c.reference for c in clips], hypotheses)

    assert wer <= 0.10, list(zip([c.reference for c in clips], hypotheses, strict=True))


async def test_reports_language_duration_and_speech(whisper: WhisperLocalTranscriber) -> None:
    assert isinstance(whisper, Transcriber)
    pcm = decode_to_pcm16k(clip("goforward.wav").path)

    transcript = await whisper.transcribe(pcm, language="en")

    assert word_error_rate("go forward ten meters", transcript.text) == 0.0
    assert transcript.language == "en"
    assert transcript.duration_s == pytest.approx(2.79, abs=0.01)
    assert not transcript.no_speech


async def test_hears_a_browser_recording(whisper: WhisperLocalTranscriber) -> None:
    speech = clip("librivox_sense_and_sensibility_0880.wav")
    webm_like = encode_audio(decode_to_pcm16k(speech.path), 16_000, "opus")  # lossy, as uploads are

    transcript = await whisper.transcribe(decode_to_pcm16k(webm_like))

    assert word_error_rate(speech.reference, transcript.text) <= 0.25


async def test_silence_and_noise_are_no_speech(whisper: WhisperLocalTranscriber) -> None:
    silence = await whisper.transcribe(np.zeros(3 * 16_000, np.float32))
    noise = await whisper.transcribe(np.random.default_rng(0).normal(0, 0.02, 3 * 16_000).astype(np.float32))
    empty = await whisper.transcribe(np.zeros(0, np.float32))

    for transcript in (silence, noise, empty):
        assert transcript.no_speech and transcript.text == ""
    assert silence.duration_s == pytest.approx(3.0)


def test_refuses_a_missing_model_rather_than_downloading(tmp_path) -> None:
    with pytest.raises(FileNotFoundError):
        WhisperLocalTranscriber(model_dir=tmp_path / "tiny.en")
