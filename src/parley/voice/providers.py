"""Speech-to-text and text-to-speech clients, built once per event loop and chosen per bot."""

from __future__ import annotations

import asyncio

from parley.config import Settings
from parley.kit.errors import Unprocessable
from parley.providers.stt.base import Transcriber
from parley.providers.tts.base import Synthesizer


class VoiceProviders:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._transcribers: dict[str, Transcriber] = {}
        self._synthesizers: dict[str, Synthesizer] = {}
        self._lock = asyncio.Lock()

    def transcriber(self, provider: str) -> Transcriber:
        if provider not in self._transcribers:
            self._transcribers[provider] = self._build_transcriber(provider)
        return self._transcribers[provider]

    def synthesizer(self, provider: str) -> Synthesizer:
        if provider not in self._synthesizers:
            self._synthesizers[provider] = self._build_synthesizer(provider)
        return self._synthesizers[provider]

    def _build_transcriber(self, provider: str) -> Transcriber:
        if provider == "local":
            from parley.providers.stt.whisper_local import WhisperLocalTranscriber

            return WhisperLocalTranscriber(beam_size=self.settings.whisper_beam_size)
        if provider == "groq":
            if self.settings.groq_api_key is None:
                raise Unprocessable("Groq speech-to-text needs GROQ_API_KEY on the server.", code="stt_not_configured")
            from parley.providers.stt.groq_stt import GroqTranscriber

            options = {"base_url": self.settings.groq_base_url} if self.settings.groq_base_url else {}
            return GroqTranscriber(api_key=self.settings.groq_api_key.get_secret_value(), **options)
        raise Unprocessable(f"Unknown speech-to-text provider '{provider}'.", code="unknown_stt_provider")

    def _build_synthesizer(self, provider: str) -> Synthesizer:
        if provider == "piper":
            from parley.providers.tts.piper_local import PiperSynthesizer

            return PiperSynthesizer()
        if provider == "deepgram":
            if self.settings.deepgram_api_key is None:
                raise Unprocessable("Deepgram voices need DEEPGRAM_API_KEY on the server.", code="tts_not_configured")
            from parley.providers.tts.deepgram_tts import DeepgramSynthesizer

            options = {"base_url": self.settings.deepgram_base_url} if self.settings.deepgram_base_url else {}
            return DeepgramSynthesizer(api_key=self.settings.deepgram_api_key.get_secret_value(), **options)
        raise Unprocessable(f"Unknown text-to-speech provider '{provider}'.", code="unknown_tts_provider")

    async def aclose(self) -> None:
        for transcriber in self._transcribers.values():
            close = getattr(transcriber, "aclose", None) or getattr(transcriber, "close", None)
            result = close() if close else None
            if asyncio.iscoroutine(result):
                await result
        for synthesizer in self._synthesizers.values():
            close = getattr(synthesizer, "aclose", None)
            if close:
                await close()
        self._transcribers.clear()
        self._synthesizers.clear()
