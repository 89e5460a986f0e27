"""A local Deepgram Aura text-to-speech server: POST /v1/speak?model=&encoding=&sample_rate=&container=.

It takes `Authorization: Token <key>` and a JSON body `{"text": ...}` and streams
back audio: synthetic vowels at a speaking pace (see speech_like), whose length
follows the text. linear16 comes as a WAV file unless `container=none`, as Deepgram documents.
Errors use Deepgram's shape `{"err_code", "err_msg", "request_id"}`.

    fake = FakeDeepgramSpeak()
    fake.enqueue(Fail(429))                 # next request fails, later ones succeed
    with serve_app(fake.app) as base_url: ...
    fake.requests[0].params["model"]
"""

from __future__ import annotations

import functools
import json
import uuid
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import numpy as np
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

PATH = "/v1/speak"
MAX_CHARS = 2000
LINEAR16_RATES = {8000, 16000, 24000, 32000, 48000}


@dataclass(frozen=True)
class Fail:
    status: int
    err_code: str = ""
    err_msg: str = ""


@dataclass
class RecordedSpeak:
    headers: dict[str, str]
    params: dict[str, str]
    text: str


@dataclass
class FakeDeepgramSpeak:
    api_key: str = "dg_test_key"
    chunk_bytes: int = 4096  # audio is streamed in pieces of this size
    failures: deque[Fail] = field(default_factory=deque)
    requests: list[RecordedSpeak] = field(default_factory=list)

    def enqueue(self, *failures: Fail) -> None:
        self.failures.extend(failures)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route(PATH, self._speak, methods=["POST"])])

    async def _speak(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Token {self.api_key}":
            return _error(Fail(401, "INVALID_AUTH", "Invalid credentials."))
        params = dict(request.query_params)
        try:
            body = json.loads(await request.body())
            text = body["text"]
        except (ValueError, KeyError, TypeError):
            message = "Content-type was application/json, but we could not process the JSON payload."
            return _error(Fail(400, "Bad Request", message))
        self.requests.append(RecordedSpeak(headers=dict(request.headers), params=params, text=text))
        if self.failures:
            return _error(self.failures.popleft())
        if not isinstance(text, str) or not text.strip():
            return _error(Fail(400, "Bad Request", "Text input is empty."))
        if len(text) > MAX_CHARS:
            return _error(Fail(413, "Bad Request", f"Input text exceeds {MAX_CHARS} characters."))
        encoding = params.get("encoding", "linear16")
        rate = int(float(params.get("sample_rate", 24000)))
        if encoding != "linear16" or rate not in LINEAR16_RATES:
            return _error(Fail(400, "UNSUPPORTED_AUDIO_FORMAT", "Unsupported audio format for this fake."))
        pcm = _speech_like_bytes(text, rate, float(params.get("speed", 1.0)))
        container = params.get("container", "wav")
        audio = (_wav_header(rate, len(pcm)) + pcm) if container == "wav" else pcm
        headers = {
            "dg-request-id": str(uuid.uuid4()),
            "dg-model-name": params.get("model", "aura-asteria-en"),
            "dg-char-count": str(len(text)),
        }
        media_type = "audio/wav" if container == "wav" else "application/octet-stream"
        return StreamingResponse(self._pieces(audio), media_type=media_type, headers=headers)

    async def _pieces(self, audio: bytes) -> AsyncIterator[bytes]:
        for start in range(0, len(audio), self.chunk_bytes):
            yield audio[start : start + self.chunk_bytes]


# Formants (F1, F2, F3 in Hz) of five vowels: /a/ /i/ /u/ /e/ /o/.
_VOWELS = np.array(
    [(730, 1090, 2440), (270, 2290, 3010), (300, 870, 2240), (530, 1840, 2480), (570, 840, 2410)]
)


@functools.lru_cache(maxsize=64)
def _speech_like_bytes(text: str, sample_rate: int, speed: float) -> bytes:
    # Synthesis costs ~20 ms per second of audio; a repeated sentence (benchmarks) answers at once.
    return speech_like(text, sample_rate, speed=speed).tobytes()


def speech_like(text: str, sample_rate: int, *, speed: float = 1.0) -> np.ndarray:
    """int16 mono audio shaped like speech, deterministic for a given text.

    A source-filter vowel synthesizer: harmonics of a falling, wavering pitch,
    weighted by the formants of a vowel chosen per syllable, at four syllables a
    second. Silero VAD scores it as speech, so it can drive pipeline tests.
    """
    words = max(len(text.split()), 1)
    duration = max(0.8, 0.1 + 0.35 * words) / speed
    t = np.arange(int(duration * sample_rate)) / sample_rate
    f0 = 120 + 20 * np.sin(2 * np.pi * 0.7 * t) - 15 * t / duration
    phase = 2 * np.pi * np.cumsum(f0) / sample_rate
    syllable_rate = 4.0 * speed
    syllable = (t * syllable_rate).astype(int)
    vowel_of = np.random.default_rng(len(text)).integers(0, len(_VOWELS), size=syllable.max() + 1)
    formants = _VOWELS[vowel_of[syllable]]
    audio = np.zeros_like(t)
    for k in range(1, 40):
        harmonic = k * f0
        gain = sum(
            weight / (1 + ((harmonic - formants[:, i]) / (80 + 40 * i)) ** 2)
            for i, weight in enumerate((1.0, 0.6, 0.3))
        )
        audio += gain * np.sin(k * phase) * (harmonic < sample_rate / 2) / np.sqrt(k)
    envelope = np.sin(np.pi * (t * syllable_rate % 1.0)) ** 0.6  # each syllable swells and fades
    envelope *= np.clip(np.minimum(t, duration - t) / 0.05, 0, 1)
    audio *= envelope
    audio = 0.5 * audio / max(float(np.max(np.abs(audio))), 1e-9)
    return (audio * 32767).astype("<i2")


def _wav_header(sample_rate: int, data_bytes: int) -> bytes:
    def u32(v: int) -> bytes:
        return v.to_bytes(4, "little")

    def u16(v: int) -> bytes:
        return v.to_bytes(2, "little")

    fmt = u16(1) + u16(1) + u32(sample_rate) + u32(sample_rate * 2) + u16(2) + u16(16)
    return b"RIFF" + u32(36 + data_bytes) + b"WAVEfmt " + u32(16) + fmt + b"data" + u32(data_bytes)


def _error(fail: Fail) -> JSONResponse:
    defaults = {
        401: ("INVALID_AUTH", "Invalid credentials."),
        402: ("ASR_PAYMENT_REQUIRED", "Project does not have enough credits."),
        429: ("TOO_MANY_REQUESTS", "Too many requests. Please try again later."),
        500: ("INTERNAL_SERVER_ERROR", "An internal error occurred."),
    }
    code, message = defaults.get(fail.status, ("Bad Request", "Bad request."))
    body = {
        "err_code": fail.err_code or code,
        "err_msg": fail.err_msg or message,
        "request_id": str(uuid.uuid4()),
    }
    return JSONResponse(body, status_code=fail.status)
