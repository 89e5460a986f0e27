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
