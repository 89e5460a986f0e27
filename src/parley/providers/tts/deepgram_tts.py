"""Cloud text-to-speech: Deepgram Aura through the official deepgram-sdk (REST /v1/speak).

One request per sentence, the next one already in flight while the current one
is played, so the first audio arrives after one short request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from deepgram import AsyncDeepgramClient
from deepgram.core.api_error import ApiError
from deepgram.environment import DeepgramClientEnvironment

from parley.providers.tts.base import AudioChunk, SynthesisError, prefetched
from parley.voice.sentences import split_sentences

_LINEAR16_RATES = (8_000, 16_000, 24_000, 32_000, 48_000)


class DeepgramSynthesizer:
    def __init__(
        self,
        *,
        api_key: str,
        model: str = "aura-2-thalia-en",
        sample_rate: int = 24_000,
        base_url: str = "https://api.deepgram.com",
        timeout_s: float = 30.0,
        max_sentence_chars: int = 250,  # Deepgram takes at most 2,000 characters per request
        lookahead: int = 1,
    ) -> None:
        if sample_rate not in _LINEAR16_RATES:
            raise ValueError(f"Deepgram linear16 supports {_LINEAR16_RATES} Hz, not {sample_rate}")
        self.name = f"deepgram:{model}"
        self.model = model
        self.sample_rate = sample_rate
        self.max_sentence_chars = max_sentence_chars
        self.lookahead = lookahead
        websocket_url = base_url.replace("https://", "wss://").replace("http://", "ws://")
        environment = DeepgramClientEnvironment(
            base=base_url, production=websocket_url, agent=websocket_url, agent_rest=base_url
        )
        # Bound to the event loop that first uses it: build once per loop (app lifespan).
        self._http = httpx.AsyncClient(timeout=timeout_s)
        self._client = AsyncDeepgramClient(api_key=api_key, environment=environment, httpx_client=self._http)

    async def stream(
        self, text: str, *, voice: str | None = None, speed: float = 1.0
    ) -> AsyncIterator[AudioChunk]:
        """`voice` is a Deepgram model name (e.g. "aura-2-orion-en"); None uses the configured one.
        `speed` is clamped to the 0.7-1.5 that Aura accepts."""
        model = voice or self.model
        speed = min(max(speed, 0.7), 1.5)
        sentences = split_sentences(text, max_chars=self.max_sentence_chars)

        async def one(sentence: str) -> AudioChunk:
            return AudioChunk(
                pcm=await self._speak(sentence, model, speed), sample_rate=self.sample_rate, text=sentence
            )

        async for chunk in prefetched(sentences, one, lookahead=self.lookahead):
            yield chunk

    async def _speak(self, sentence: str, model: str, speed: float) -> bytes:
        try:
            pieces = [
                piece
                async for piece in self._client.speak.v1.audio.generate(
                    text=sentence,
                    model=model,
                    encoding="linear16",
                    container="none",  # raw samples; the default for linear16 is a WAV file
                    sample_rate=self.sample_rate,
                    speed=speed if speed != 1.0 else None,
                )
            ]
        except ApiError as exc:
            status = exc.status_code or 0
            raise SynthesisError(
                f"Deepgram error {status}: {_message(exc.body)}", retryable=status == 429 or status >= 500
            ) from exc
        except httpx.HTTPError as exc:
            raise SynthesisError(f"Deepgram unreachable: {exc!r}", retryable=True) from exc
        pcm = b"".join(pieces)
        return pcm[: len(pcm) - len(pcm) % 2]  # whole samples only

    async def aclose(self) -> None:
        await self._http.aclose()


def _message(body: object) -> str:
    if isinstance(body, dict):
        return str(body.get("err_msg") or body.get("message") or body)
    return str(body)
