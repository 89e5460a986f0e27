"""A local Groq speech-to-text server: POST /openai/v1/audio/transcriptions (multipart).

It checks what Groq checks (bearer key, model, a decodable audio file under 25 MB),
measures the uploaded audio with PyAV, and answers in Groq's JSON shapes
(`json`, `verbose_json`, `text`). Script outcomes per request:

    fake = FakeGroqTranscriptions(default_text="go forward ten meters")
    fake.enqueue(Fail(429, retry_after=0.01), Transcribe("hello"))
    with serve_app(fake.app) as base_url:
        client = groq.AsyncGroq(api_key=fake.api_key, base_url=base_url)
    fake.requests[0].fields["model"]

Audio that is digitally silent gets an empty text with Whisper's no-speech
scores, as the real service does for silence.
"""

from __future__ import annotations

import io
import uuid
from collections import deque
from dataclasses import dataclass, field

import av
import numpy as np
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

PATH = "/openai/v1/audio/transcriptions"
MODELS = {"whisper-large-v3", "whisper-large-v3-turbo"}
MAX_FILE_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class Transcribe:
    text: str
    language: str = "English"


@dataclass(frozen=True)
class Fail:
    """An error in Groq's shape `{"error": {"message", "type", "code"}}`."""

    status: int
    message: str = ""
    type: str = "invalid_request_error"
    code: str | None = None
    retry_after: float | None = None


@dataclass
class RecordedUpload:
    headers: dict[str, str]
    fields: dict[str, str]
    filename: str | None = None
    content_type: str | None = None
    audio: bytes = b""
    duration_s: float = 0.0


@dataclass
class FakeGroqTranscriptions:
    api_key: str = "gsk_test_key"
    default_text: str = ""
    outcomes: deque[Transcribe | Fail] = field(default_factory=deque)
    requests: list[RecordedUpload] = field(default_factory=list)

    def enqueue(self, *outcomes: Transcribe | Fail) -> None:
        self.outcomes.extend(outcomes)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route(PATH, self._transcribe, methods=["POST"])])

    async def _transcribe(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(Fail(401, "Invalid API Key", code="invalid_api_key"))
        form = await request.form(max_part_size=MAX_FILE_BYTES + 1)
        upload = form.get("file")
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        record = RecordedUpload(headers=dict(request.headers), fields=fields)
        self.requests.append(record)
        if isinstance(upload, UploadFile):
            record.filename, record.content_type = upload.filename, upload.content_type
            record.audio = await upload.read()

        if self.outcomes and isinstance(self.outcomes[0], Fail):
            return _error(self.outcomes.popleft())  # type: ignore[arg-type]
        model = fields.get("model", "")
        if model not in MODELS:
            message = f"The model `{model}` does not exist or you do not have access to it."
            return _error(Fail(404, message, code="model_not_found"))
        if not record.audio and not fields.get("url"):
            return _error(Fail(400, "either file or url must be provided"))
        if len(record.audio) > MAX_FILE_BYTES:
            return _error(Fail(413, "Request Entity Too Large", code="request_too_large"))
        measured = _measure(record.audio)
        if measured is None:
            return _error(Fail(400, "could not process file - is it a valid media file?"))
        record.duration_s, silent = measured

        outcome = self.outcomes.popleft() if self.outcomes else Transcribe(self.default_text)
        assert isinstance(outcome, Transcribe)
        text = "" if silent else outcome.text
        return _render(fields.get("response_format", "json"), text, outcome.language, record.duration_s)


def _render(response_format: str, text: str, language: str, duration: float) -> Response:
    request_id = {"id": f"req_{uuid.uuid4().hex[:26]}"}
    if response_format == "text":
        return PlainTextResponse(text)
    if response_format != "verbose_json":
        return JSONResponse({"text": text, "x_groq": request_id})
    silent = not text
    segment = {
        "id": 0, "seek": 0, "start": 0.0, "end": round(duration, 2), "text": f" {text}" if text else "",
        "tokens": [50365, 50414], "temperature": 0.0,
        "avg_logprob": -1.6 if silent else -0.21, "compression_ratio": 0.9 if silent else 1.1,
        "no_speech_prob": 0.93 if silent else 0.01,
    }  # fmt: skip
    body = {
        "task": "transcribe",
        "language": language,
        "duration": round(duration, 2),
        "text": f" {text}" if text else "",
        "segments": [segment],
        "x_groq": request_id,
    }
    return JSONResponse(body)


def _measure(audio: bytes) -> tuple[float, bool] | None:
    """(duration, digitally silent) of an audio file, or None if it does not decode."""
    try:
        with av.open(io.BytesIO(audio)) as container:
            if not container.streams.audio:
                return None
            resampler = av.AudioResampler(format="flt", layout="mono", rate=16_000)
            frames = [out for frame in container.decode(audio=0) for out in resampler.resample(frame)]
    except (av.FFmpegError, ValueError):
        return None
    if not frames:
        return None
    pcm = np.concatenate([frame.to_ndarray()[0] for frame in frames])
    return len(pcm) / 16_000, float(np.max(np.abs(pcm))) < 1e-3


def _error(fail: Fail) -> JSONResponse:
    messages = {401: "Invalid API Key", 429: "Rate limit reached for model. Please try again in 1s.",
                500: "Internal Server Error"}  # fmt: skip
    codes = {401: "invalid_api_key", 429: "rate_limit_exceeded"}
    error = {
        "message": fail.message or messages.get(fail.status, "error"),
        "type": fail.type if fail.status != 429 else "tokens",
        "code": fail.code or codes.get(fail.status),
    }
    headers = {"retry-after": f"{fail.retry_after:g}"} if fail.retry_after is not None else {}
    return JSONResponse({"error": error}, status_code=fail.status, headers=headers)
