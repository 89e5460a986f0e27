"""Decode uploaded audio to 16 kHz mono float32; small PCM helpers.

Uploads are decoded with PyAV (FFmpeg). The container format is sniffed from
the first bytes and then forced, so FFmpeg never probes playlist or concat
demuxers that could open other files or URLs on our behalf.
"""

from __future__ import annotations

import io
import os
import struct
from typing import Literal

import av
import numpy as np

SAMPLE_RATE = 16_000

AudioErrorCode = Literal["unsupported_media", "too_large", "too_long", "empty"]

# Demuxers we accept, by sniffed signature. Browsers record webm/opus (Chrome,
# Firefox) or mp4/aac (Safari); uploads are usually wav, mp3, m4a or ogg.
_ALLOWED_DEMUXERS = {"wav", "ogg", "matroska", "mp4", "mp3", "aac", "flac"}


class AudioError(Exception):
    """Audio the API cannot take. `code` maps to HTTP: unsupported_media 415,
    too_large/too_long 413, empty 422."""

    def __init__(self, code: AudioErrorCode, message: str) -> None:
        super().__init__(message)
        self.code: AudioErrorCode = code
        self.message = message


def sniff_container(head: bytes) -> str | None:
    """FFmpeg demuxer name for the first bytes of a file, or None if not a format we take."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML: webm and matroska
        return "matroska"
    if head[:4] == b"fLaC":
        return "flac"
    if head[4:8] == b"ftyp":  # ISO media: m4a, mp4, 3gp
        return "mp4"
    if head[:3] == b"ID3":
        return "mp3"
    if len(head) >= 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0:
        layer = (head[1] >> 1) & 0x03  # MPEG audio frame sync; ADTS (AAC) has layer 0
        return "aac" if layer == 0 else "mp3"
    return None


def decode_to_pcm16k(
    data: bytes | str | os.PathLike[str],
    *,
    max_seconds: float = 300.0,
    max_bytes: int = 25_000_000,
) -> np.ndarray:
    """Decode webm/ogg (opus), wav, mp3, m4a/aac or flac to mono float32 at 16 kHz.

    Raises AudioError. Decoding stops as soon as `max_seconds` is exceeded, so a
    small, highly compressed file cannot make us decode hours of audio.
    """
    raw = _read_limited(data, max_bytes)
    if not raw:
        raise AudioError("empty", "The audio file is empty.")
    demuxer = sniff_container(raw[:16])
    if demuxer is None or demuxer not in _ALLOWED_DEMUXERS:
        raise AudioError("unsupported_media", "Not a supported audio format (webm, ogg, wav, mp3, m4a).")

    max_samples = int(max_seconds * SAMPLE_RATE)
    pieces: list[np.ndarray] = []
    total = 0
    try:
        with av.open(io.BytesIO(raw), format=demuxer, metadata_errors="replace") as container:
            if not container.streams.audio:
                raise AudioError("unsupported_media", "The file has no audio track.")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    pieces.append(out.to_ndarray()[0])
                    total += out.samples
                if total > max_samples:
                    raise AudioError("too_long", f"The audio is longer than {max_seconds:g} seconds.")
            for out in resampler.resample(None):
                pieces.append(out.to_ndarray()[0])
                total += out.samples
    except av.FFmpegError as exc:
        raise AudioError("unsupported_media", "The audio could not be decoded.") from exc
    if total > max_samples:
        raise AudioError("too_long", f"The audio is longer than {max_seconds:g} seconds.")
    if total == 0:
        raise AudioError("empty", "The audio contains no samples.")
    return np.ascontiguousarray(np.concatenate(pieces), dtype=np.float32)


def _read_limited(data: bytes | str | os.PathLike[str], max_bytes: int) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
    else:
        if os.path.getsize(data) > max_bytes:
            raise AudioError("too_large", f"The audio file is larger than {max_bytes} bytes.")
        with open(data, "rb") as f:
            raw = f.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise AudioError("too_large", f"The audio file is larger than {max_bytes} bytes.")
    return raw


# --- PCM helpers ---------------------------------------------------------------------------------


def to_int16(pcm: np.ndarray | bytes) -> np.ndarray:
    """int16 samples from float32 in [-1, 1], int16 arrays, or little-endian int16 bytes."""
    if isinstance(pcm, (bytes, bytearray, memoryview)):
        return np.frombuffer(pcm, dtype="<i2")
    if pcm.dtype == np.int16:
        return pcm
    return (np.clip(pcm, -1.0, 1.0) * 32767.0).astype(np.int16)


def to_float32(pcm: np.ndarray | bytes) -> np.ndarray:
    """float32 samples in [-1, 1] from int16 bytes/arrays or float arrays."""
    if isinstance(pcm, (bytes, bytearray, memoryview)):
        pcm = np.frombuffer(pcm, dtype="<i2")
    if pcm.dtype == np.int16:
        return pcm.astype(np.float32) / 32768.0
    return pcm.astype(np.float32, copy=False)


def resample(pcm: np.ndarray | bytes, from_rate: int, to_rate: int) -> np.ndarray:
    """Mono float32 at `to_rate` (FFmpeg's resampler, anti-aliased)."""
    samples = to_int16(pcm)
    if from_rate == to_rate or samples.size == 0:
        return to_float32(samples)
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = from_rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=to_rate)
    outs = [f.to_ndarray()[0] for f in (*resampler.resample(frame), *resampler.resample(None))]
    return np.concatenate(outs).astype(np.float32) if outs else np.zeros(0, np.float32)


def duration_s(pcm: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    return len(pcm) / sample_rate


def rms_dbfs(pcm: np.ndarray | bytes) -> float:
    """Loudness in dB relative to full scale; -inf for digital silence."""
    samples = to_float32(pcm)
    if samples.size == 0:
        return float("-inf")
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20.0 * np.log10(rms) if rms > 0 else float("-inf")


def is_silence(pcm: np.ndarray | bytes, *, threshold_dbfs: float = -50.0) -> bool:
    """True when the audio is too quiet to hold speech (an energy test; see vad.has_speech for a
    model-based test that also rejects noise)."""
    return rms_dbfs(pcm) < threshold_dbfs


# --- Encoding for playback -----------------------------------------------------------------------

AudioFormat = Literal["mp3", "opus", "wav"]

from parley.voice.formats import CONTENT_TYPES  # noqa: E402  (re-exported)

_OPUS_RATES = (8_000, 12_000, 16_000, 24_000, 48_000)
_MP3_RATES = (8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000)


def encode_audio(pcm: np.ndarray | bytes, sample_rate: int, fmt: AudioFormat) -> bytes:
    """Encode a whole mono clip (float32 in [-1, 1], int16 array, or int16 bytes)."""
    if fmt == "wav":
        return _wav_header(sample_rate, data_bytes=to_int16(pcm).size * 2) + to_int16(pcm).tobytes()
    encoder = StreamingEncoder(fmt, sample_rate)
    return encoder.encode(pcm) + encoder.finish()


class StreamingEncoder:
    """Encode PCM piece by piece (one sentence at a time) into one continuous stream.

    Each call returns the bytes that are ready to send now, so an HTTP response can
    stream audio while later sentences are still being synthesized. The encoder's
    look-ahead keeps a few milliseconds back until the next piece or finish().
    """

    def __init__(self, fmt: AudioFormat, sample_rate: int, *, bit_rate: int | None = None) -> None:
        self.fmt = fmt
        self.sample_rate = sample_rate
        self.content_type = CONTENT_TYPES[fmt]
        self._sink = _Sink()
        self._finished = False
        if fmt == "wav":
            # Length unknown while streaming: browsers accept the "as long as it goes" size.
            self._sink.write(_wav_header(sample_rate, data_bytes=None))
            return
        if fmt == "opus":
            rate = sample_rate if sample_rate in _OPUS_RATES else 48_000
            options = {"page_duration": "100000"}  # 100 ms Ogg pages instead of 1 s: lower latency
            self._container = av.open(self._sink, mode="w", format="ogg", container_options=options)
            self._stream = self._container.add_stream("libopus", rate=rate)
            self._stream.bit_rate = bit_rate or 32_000
        elif fmt == "mp3":
            rate = sample_rate if sample_rate in _MP3_RATES else 24_000
            self._container = av.open(self._sink, mode="w", format="mp3")
            self._stream = self._container.add_stream("libmp3lame", rate=rate)
            self._stream.bit_rate = bit_rate or 48_000
        else:
            raise ValueError(f"unknown audio format {fmt!r}")
        self._stream.layout = "mono"

    def encode(self, pcm: np.ndarray | bytes) -> bytes:
        if self._finished:
            raise RuntimeError("encoder already finished")
        samples = to_int16(pcm)
        if self.fmt == "wav":
            self._sink.write(samples.tobytes())
        elif samples.size:
            frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = self.sample_rate
            for packet in self._stream.encode(frame):  # PyAV resamples and re-frames for the codec
                self._container.mux(packet)
        return self._sink.take()

    def finish(self) -> bytes:
        """Flush the encoder and close the stream; returns the last bytes."""
        if self._finished:
            return b""
        self._finished = True
        if self.fmt != "wav":
            for packet in self._stream.encode(None):
                self._container.mux(packet)
            self._container.close()
        return self._sink.take()


class _Sink:
    """Write-only, non-seekable output: muxers must not seek back into bytes already sent."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def write(self, data: bytes) -> int:
        self._buf += data
        return len(data)

    def take(self) -> bytes:
        out = bytes(self._buf)
        self._buf.clear()
        return out


def _wav_header(sample_rate: int, *, data_bytes: int | None) -> bytes:
    size = 0xFFFFFFFF if data_bytes is None else data_bytes
    riff = 0xFFFFFFFF if data_bytes is None else 36 + data_bytes
    fmt_chunk = struct.pack("<HHIIHH", 1, 1, sample_rate, sample_rate * 2, 2, 16)  # PCM, mono, 16-bit
    return (
        b"RIFF"
        + struct.pack("<I", riff)
        + b"WAVEfmt "
        + struct.pack("<I", 16)
        + fmt_chunk
        + b"data"
        + struct.pack("<I", size)
    )
