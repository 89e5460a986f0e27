"""Cloud speech-to-text: Whisper large-v3 (turbo) on Groq, through the official `groq` SDK."""

from __future__ import annotations

import groq
import numpy as np

from parley.providers.stt.base import SAMPLE_RATE, Transcript, TranscriptionError
from parley.voice.audio import encode_audio

# verbose_json names the language ("English"); we report ISO-639-1 codes.
# fmt: off
_LANGUAGE_CODES = {
    "english": "en", "spanish": "es", "french": "fr", "german": "de", "italian": "it",
    "portuguese": "pt", "dutch": "nl", "polish": "pl", "russian": "ru", "ukrainian": "uk",
    "turkish": "tr", "arabic": "ar", "hindi": "hi", "chinese": "zh", "japanese": "ja",
    "korean": "ko", "swedish": "sv", "danish": "da", "norwegian": "no", "finnish": "fi",
}
# fmt: on


class GroqTranscriber:
    """`base_url` is the host only (e.g. https://api.groq.com): the SDK adds /openai/v1 itself."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str = "whisper-large-v3-turbo",
        base_url: str = "https://api.groq.com",
        timeout_s: float = 30.0,
        max_retries: int = 2,
    ) -> None:
        self.name = f"groq:{model}"
        self.model = model
        # Bound to the event loop that first uses it: build once per loop (app lifespan).
        self._client = groq.AsyncGroq(
            api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=max_retries
        )

    async def transcribe(self, pcm: np.ndarray, *, language: str | None = None) -> Transcript:
        duration = len(pcm) / SAMPLE_RATE
        if len(pcm) == 0:
            return Transcript(text="", language=language, duration_s=0.0, no_speech=True)
        wav = encode_audio(pcm, SAMPLE_RATE, "wav")  # lossless, and 16 kHz is what Whisper uses anyway
        try:
            result = await self._client.audio.transcriptions.create(
                model=self.model,
                file=("audio.wav", wav, "audio/wav"),
                response_format="verbose_json",
                temperature=0.0,
                **({"language": language} if language else {}),
            )
        except groq.RateLimitError as exc:
            raise TranscriptionError(
                f"Groq rate limit: {_message(exc)}", retryable=True, retry_after_s=_retry_after(exc)
            ) from exc
        except groq.APIStatusError as exc:
            retryable = exc.status_code >= 500
            raise TranscriptionError(
                f"Groq error {exc.status_code}: {_message(exc)}", retryable=retryable
            ) from exc
        except (groq.APIConnectionError, groq.APITimeoutError) as exc:
            raise TranscriptionError(f"Groq unreachable: {exc}", retryable=True) from exc

        extra = result.model_extra or {}
        text = result.text.strip()
        return Transcript(
            text=text,
            language=_language_code(extra.get("language")) or language,
            duration_s=float(extra.get("duration") or duration),
            no_speech=not text or _all_silent(extra.get("segments")),
        )

    async def aclose(self) -> None:
        await self._client.close()


def _language_code(name: object) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    lowered = name.lower()
    return lowered if len(lowered) <= 3 else _LANGUAGE_CODES.get(lowered, lowered)


def _all_silent(segments: object) -> bool:
    """Whisper's own rule: a segment is silence if no_speech_prob > 0.6 and avg_logprob < -1."""
    if not isinstance(segments, list) or not segments:
        return False
    return all(
        isinstance(s, dict) and s.get("no_speech_prob", 0) > 0.6 and s.get("avg_logprob", 0) < -1
        for s in segments
    )


def _message(exc: groq.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
    return exc.message


def _retry_after(exc: groq.APIStatusError) -> float | None:
    try:
        return float(exc.response.headers.get("retry-after", ""))
    except ValueError:
        return None
