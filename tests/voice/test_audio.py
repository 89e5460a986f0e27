"""Decoding uploads and encoding playback audio, with real speech."""

from __future__ import annotations

import io

import av
import numpy as np
import pytest

from parley.voice.audio import (
    AudioError,
    StreamingEncoder,
    decode_to_pcm16k,
    encode_audio,
    is_silence,
    resample,
    rms_dbfs,
    sniff_container,
)
from tests.voice.clips import clip

SPEECH = clip("librivox_sense_and_sensibility_0880.wav")


def _reference() -> np.ndarray:
    return decode_to_pcm16k(SPEECH.path)


def _encode_with_pyav(
    pcm: np.ndarray, rate: int, container_format: str, codec: str, *, channels: int = 1
) -> bytes:
    """What a browser or phone would upload, made independently of the code under test."""
    out = io.BytesIO()
    layout = "mono" if channels == 1 else "stereo"
    with av.open(out, mode="w", format=container_format) as container:
        stream = container.add_stream(codec, rate=rate)
        stream.layout = layout
        samples = np.tile((pcm * 32767).astype(np.int16), (channels, 1))
        frame = av.AudioFrame.from_ndarray(
            samples.reshape(1, -1) if channels == 1 else samples.T.reshape(1, -1), format="s16", layout=layout
        )
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def _similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of the loudness envelopes (20 ms windows): robust to codec phase and delay."""
    n = min(len(a), len(b)) // 320 * 320
    env_a = np.sqrt(np.mean(a[:n].reshape(-1, 320) ** 2, axis=1))
    env_b = np.sqrt(np.mean(b[:n].reshape(-1, 320) ** 2, axis=1))
    best = max(float(np.corrcoef(env_a[: len(env_a) - s], env_b[s:])[0, 1]) for s in range(6))
    return best


@pytest.mark.parametrize(
    ("container_format", "codec", "rate", "channels"),
    [
        ("webm", "libopus", 48_000, 1),  # Chrome/Firefox MediaRecorder
        ("ogg", "libopus", 48_000, 1),
        ("mp3", "libmp3lame", 44_100, 2),
        ("mp4", "aac", 44_100, 1),  # m4a, Safari MediaRecorder
        ("wav", "pcm_s16le", 22_050, 2),
        ("flac", "flac", 16_000, 1),
    ],
)
def test_decodes_each_container_to_16k_mono(
    container_format: str, codec: str, rate: int, channels: int
) -> None:
    reference = _reference()
    upload = _encode_with_pyav(
        resample(reference, 16_000, rate), rate, container_format, codec, channels=channels
    )

    decoded = decode_to_pcm16k(upload)

    assert decoded.dtype == np.float32 and decoded.ndim == 1
    assert abs(len(decoded) - len(reference)) < 0.12 * 16_000  # codec padding is at most ~0.1 s
    assert _similarity(reference, decoded) > 0.95
    assert abs(rms_dbfs(decoded) - rms_dbfs(reference)) < 3.5  # stereo downmix may shift the level a little


def test_reads_paths_and_bytes_alike() -> None:
    assert np.array_equal(decode_to_pcm16k(SPEECH.path), decode_to_pcm16k(SPEECH.path.read_bytes()))
    assert len(decode_to_pcm16k(SPEECH.path)) == pytest.approx(2.99 * 16_000, rel=0.01)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"Just some text, not audio at all.\n" * 20, "unsupported_media"),
        (b"#EXTM3U\n#EXT-X-TARGETDURATION:10\nhttp://169.254.169.254/latest\n", "unsupported_media"),
        (b"RIFF\x24\x00\x00\x00WAVEthis is no fmt chunk at all, only noise" * 3, "unsupported_media"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "unsupported_media"),
        (b"", "empty"),
    ],
    ids=["text", "hls-playlist", "broken-wav", "pdf", "empty"],
)
def test_rejects_bad_uploads(data: bytes, code: str) -> None:
    with pytest.raises(AudioError) as raised:
        decode_to_pcm16k(data)
    assert raised.value.code == code


def test_rejects_a_text_file_on_disk(tmp_path) -> None:
    path = tmp_path / "notes.webm"  # the name lies; the bytes decide
    path.write_text("hello, this is a text file")
    with pytest.raises(AudioError) as raised:
        decode_to_pcm16k(path)
    assert raised.value.code == "unsupported_media"


def test_rejects_audio_with_no_samples() -> None:
    header_only = encode_audio(np.zeros(0, np.float32), 16_000, "wav")
    with pytest.raises(AudioError) as raised:
        decode_to_pcm16k(header_only)
    assert raised.value.code == "empty"


def test_limits_duration_and_size() -> None:
    data = SPEECH.path.read_bytes()  # 2.99 s, 95 kB
    with pytest.raises(AudioError) as too_long:
        decode_to_pcm16k(data, max_seconds=2.0)
    assert too_long.value.code == "too_long"
    with pytest.raises(AudioError) as too_large:
        decode_to_pcm16k(data, max_bytes=50_000)
    assert too_large.value.code == "too_large"
    with pytest.raises(AudioError) as too_large_file:
        decode_to_pcm16k(SPEECH.path, max_bytes=50_000)
    assert too_large_file.value.code == "too_large"


def test_a_long_opus_file_stops_decoding_at_the_limit() -> None:
    # 60 s of opus is small on the wire; the limit must hold on decoded length, not bytes.
    long_audio = np.tile(_reference(), 20)
    upload = _encode_with_pyav(resample(long_audio, 16_000, 48_000), 48_000, "webm", "libopus")
    assert len(upload) < 1_000_000
    with pytest.raises(AudioError) as raised:
        decode_to_pcm16k(upload, max_seconds=30)
    assert raised.value.code == "too_long"


def test_sniffs_only_formats_we_take() -> None:
    assert sniff_container(SPEECH.path.read_bytes()[:16]) == "wav"
    assert sniff_container(b"OggS\x00\x02") == "ogg"
    assert sniff_container(b"\x1a\x45\xdf\xa3\x9f") == "matroska"
    assert sniff_container(b"\x00\x00\x00\x20ftypM4A ") == "mp4"
    assert sniff_container(b"\xff\xf1\x50\x80") == "aac"
    assert sniff_container(b"\xff\xfb\x90\x64") == "mp3"
    assert sniff_container(b"<html>") is None


@pytest.mark.parametrize("fmt", ["wav", "mp3", "opus"])
def test_encoded_audio_decodes_back(fmt: str) -> None:
    speech = _reference()
    at_22k = resample(speech, 16_000, 22_050)  # Piper's rate: opus must resample it

    encoded = encode_audio(at_22k, 22_050, fmt)
    decoded = decode_to_pcm16k(encoded)

    assert abs(len(decoded) - len(speech)) < 0.12 * 16_000
    assert _similarity(speech, decoded) > 0.95


@pytest.mark.parametrize("fmt", ["wav", "mp3", "opus"])
def test_streaming_encoder_emits_audio_sentence_by_sentence(fmt: str) -> None:
    speech = _reference()
    sentences = [speech[:16_000], speech[16_000:32_000], speech[32_000:]]
    encoder = StreamingEncoder(fmt, 16_000)

    pieces = [encoder.encode((s * 32767).astype(np.int16).tobytes()) for s in sentences]
    pieces.append(encoder.finish())

    assert all(pieces[:3]), "each sentence must produce bytes to send right away"
    decoded = decode_to_pcm16k(b"".join(pieces))
    assert abs(len(decoded) - len(speech)) < 0.12 * 16_000
    assert _similarity(speech, decoded) > 0.95
    assert encoder.content_type.startswith("audio/")


def test_silence_detection_by_energy() -> None:
    assert is_silence(np.zeros(16_000, np.float32))
    assert is_silence(np.random.default_rng(0).normal(0, 1e-4, 16_000).astype(np.float32))
    assert not is_silence(_reference())
    assert rms_dbfs(np.zeros(10, np.float32)) == float("-inf")
    assert rms_dbfs(np.full(100, 0.5, np.float32)) == pytest.approx(-6.02, abs=0.01)
