"""Pipeline stage: compressed microphone chunks in (webm/opus or ogg/opus, as a browser's
MediaRecorder sends them), 16 kHz mono float32 out, as soon as each chunk is decoded.

FFmpeg's demuxers pull their input, so the demuxer runs in a thread of its own and reads from a
pipe that blocks until the next chunk arrives; decoded audio comes back to the event loop through
a queue. Only the first chunk carries the container header, so one decoder lives for the whole
stream. Garbage is reported, never waited on: FFmpeg's error ends the stream, and a stream that
keeps taking bytes without giving audio (a Matroska demuxer resyncs over garbage silently) is
called stalled after `stall_s`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from typing import Literal

import av
import numpy as np

from parley.voice.audio import SAMPLE_RATE

StreamFormat = Literal["webm", "ogg"]
_DEMUXERS = {"webm": "matroska", "ogg": "ogg"}
_MAGIC = {"webm": b"\x1a\x45\xdf\xa3", "ogg": b"OggS"}  # EBML header, Ogg page
_END = object()


class StreamDecodeError(Exception):
    """The stream cannot be decoded (wrong format, corrupt, stalled or overflowing)."""


class _BlockingPipe:
    """Bytes written by the event loop, read by FFmpeg in the decoder thread."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._buffer = bytearray()
        self._closed = False
        self._ready = threading.Condition()

    def write(self, data: bytes) -> None:
        with self._ready:
            if len(self._buffer) + len(data) > self.max_bytes:
                raise StreamDecodeError("The audio arrives faster than it can be decoded.")
            self._buffer += data
            self._ready.notify()

    def read(self, size: int) -> bytes:  # called by FFmpeg; b"" means end of stream
        with self._ready:
            while not self._buffer and not self._closed:
                self._ready.wait()
            size = len(self._buffer) if size < 0 else size
            out = bytes(self._buffer[:size])
            del self._buffer[:size]
            return out

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify()


class StreamDecoder:
    """One stream's decoder: feed() chunks, iterate pcm() for the audio. Close it when done."""

    def __init__(self, fmt: StreamFormat, *, stall_s: float = 2.0, max_buffered_bytes: int = 2_000_000) -> None:
        if fmt not in _DEMUXERS:
            raise ValueError(f"unknown stream format {fmt!r}")
        self.fmt = fmt
        self.stall_s = stall_s
        self._pipe = _BlockingPipe(max_buffered_bytes)
        self._queue: asyncio.Queue = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        self._thread: threading.Thread | None = None
        self._waiting_since: float | None = None  # first byte fed since the last audio came out
        self._closed = False

    def feed(self, chunk: bytes) -> None:
        if self._closed:
            raise StreamDecodeError("The audio stream has ended.")
        if self._thread is None:
            if not chunk.startswith(_MAGIC[self.fmt]):
                raise StreamDecodeError(f"The first chunk is not {self.fmt} audio (it must hold the header).")
            self._thread = threading.Thread(target=self._decode, name=f"parley-{self.fmt}-decoder", daemon=True)
            self._thread.start()
        self._pipe.write(chunk)
        if self._waiting_since is None:
            self._waiting_since = time.monotonic()

    async def pcm(self) -> AsyncIterator[np.ndarray]:
        """Decoded audio, piece by piece, until close(); raises StreamDecodeError."""
        while True:
            try:
                item = await asyncio.wait_for(self._queue.get(), timeout=0.25)
            except TimeoutError:
                if self._waiting_since is not None and time.monotonic() - self._waiting_since > self.stall_s:
                    raise StreamDecodeError("No audio could be decoded from the stream.") from None
                continue
            if item is _END:
                return
            if isinstance(item, Exception):
                raise StreamDecodeError("The audio stream could not be decoded.") from item
            self._waiting_since = None
            yield item

    def close(self) -> None:
        self._closed = True
        self._pipe.close()  # the demuxer sees the end of the stream and the thread returns

    def _decode(self) -> None:
        try:
            with av.open(self._pipe, format=_DEMUXERS[self.fmt], metadata_errors="replace") as container:
                if not container.streams.audio:
                    raise StreamDecodeError("The stream has no audio track.")
                resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
                for frame in container.decode(container.streams.audio[0]):
                    for out in resampler.resample(frame):
                        self._put(out.to_ndarray()[0].copy())
                for out in resampler.resample(None):
                    self._put(out.to_ndarray()[0].copy())
        except Exception as exc:  # noqa: BLE001 - handed to the event loop, which closes the socket
            if not self._closed:
                self._put(exc)
        finally:
            self._put(_END)

    def _put(self, item: object) -> None:
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)
        except RuntimeError:
            pass  # the event loop has closed: nobody listens any more
