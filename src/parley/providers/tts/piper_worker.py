"""Piper TTS worker process: `python -m parley.providers.tts.piper_worker --model X --config Y`.

Piper is GPL-3.0 and Parley is Apache-2.0, so Piper is only ever imported here,
in a separate process that the server talks to over stdin/stdout (see
piper_local.py). This module is the only Parley code that links against Piper.

Wire format, both directions: frames of a 4-byte big-endian length, then the payload.
  worker -> parent, once:  {"ready": true, "sample_rate": int, "speakers": [str]}
  parent -> worker:        {"id": int, "text": str, "speaker": str|null, "speed": float}
  worker -> parent:        {"id": int, "ok": true, "bytes": n}  followed by one frame of n bytes
                           (int16 mono PCM), or {"id": int, "ok": false, "error": str}
The worker exits when stdin closes.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import sys
from typing import BinaryIO

_LENGTH = struct.Struct(">I")
MAX_FRAME = 16 * 1024 * 1024


def read_frame(stream: BinaryIO) -> bytes | None:
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(header)
    if length > MAX_FRAME:
        raise ValueError(f"frame of {length} bytes is too large")
    payload = stream.read(length)
    return payload if len(payload) == length else None


def write_frame(stream: BinaryIO, payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)) + payload)


def _private_stdout() -> BinaryIO:
    """Keep the real stdout for frames; anything a library prints goes to stderr instead."""
    frames_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(frames_fd, "wb", buffering=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--config", required=True)
    args = parser.parse_args()

    out = _private_stdout()
    requests = sys.stdin.buffer

    import numpy as np
    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(args.model, config_path=args.config)
    ready = {
        "ready": True,
        "sample_rate": voice.config.sample_rate,
        "speakers": list(voice.config.speaker_id_map),
    }
    write_frame(out, json.dumps(ready).encode())

    while (frame := read_frame(requests)) is not None:
        request = json.loads(frame)
        try:
            speaker = request.get("speaker")
            config = SynthesisConfig(
                speaker_id=voice.config.speaker_id_map.get(speaker) if speaker else None,
                length_scale=voice.config.length_scale / float(request.get("speed") or 1.0),
            )
            # Piper splits into its own sentences; the parent already sent one sentence.
            pieces = [
                chunk.audio_int16_array for chunk in voice.synthesize(request["text"], syn_config=config)
            ]
            pcm = np.concatenate(pieces).tobytes() if pieces else b""
        except Exception as exc:  # noqa: BLE001 - report and keep serving: one bad sentence must not kill the voice
            write_frame(out, json.dumps({"id": request.get("id"), "ok": False, "error": repr(exc)}).encode())
            continue
        write_frame(out, json.dumps({"id": request["id"], "ok": True, "bytes": len(pcm)}).encode())
        write_frame(out, pcm)


if __name__ == "__main__":
    main()
