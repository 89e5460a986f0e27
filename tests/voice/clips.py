"""The real speech clips in tests/fixtures/speech and their reference transcripts."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

SPEECH_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "speech"


@dataclass(frozen=True)
class Clip:
    path: Path
    reference: str


def speech_clips() -> list[Clip]:
    with open(SPEECH_DIR / "transcripts.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [Clip(SPEECH_DIR / row["file"], row["reference"]) for row in rows]


def clip(name: str) -> Clip:
    return next(c for c in speech_clips() if c.path.name == name)


def encode_for_media_recorder(pcm16k, fmt: str = "webm") -> bytes:
    """A clip as a browser's MediaRecorder would record it: opus at 48 kHz in webm (or ogg), written live."""
    import av
    import numpy as np

    class Sink:  # not seekable, like a live recording: the muxer can't go back to fill in sizes
        def __init__(self) -> None:
            self.data = bytearray()

        def write(self, data: bytes) -> int:
            self.data += data
            return len(data)

    sink = Sink()
    options = {"live": "1"} if fmt == "webm" else {}
    with av.open(sink, mode="w", format=fmt, container_options=options) as container:
        stream = container.add_stream("libopus", rate=48_000)
        stream.layout, stream.bit_rate = "mono", 32_000
        frame = av.AudioFrame.from_ndarray((np.clip(pcm16k, -1, 1) * 32767).astype(np.int16).reshape(1, -1),
                                           format="s16", layout="mono")
        frame.sample_rate = 16_000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return bytes(sink.data)


def media_recorder_chunks(data: bytes, duration_s: float, slice_s: float = 0.25) -> list[bytes]:
    """Split a recording into timeslice-sized chunks; only the first holds the container header."""
    size = max(1, int(len(data) * slice_s / duration_s))
    return [data[i:i + size] for i in range(0, len(data), size)]
