"""Recordings of spoken turns: kept only when the bot's voice config says so, read by the org's members.

The visitor's utterance is stored as ogg/opus (about 3 KB a second), the bot's answer as it was
sent. Writes happen off the audio path, after the turn's answer is stored (a recording points at it).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.bots.models import Bot
from parley.chat.repository import ConversationRepository
from parley.kit.errors import NotFound
from parley.runtime import Runtime
from parley.voice.formats import CONTENT_TYPES
from parley.voice.models import VoiceRecording
from parley.voice.repository import RecordingRepository
from parley.voice.schemas import RecordingList, RecordingOut

log = logging.getLogger("parley.voice")
VISITOR_RATE = 16_000


@dataclass(frozen=True)
class SpokenAudio:
    """Audio to keep: already encoded (`data` in `format`), or PCM16 bytes to encode as opus."""

    seconds: float
    data: bytes = b""
    format: str = "opus"
    pcm16: bytes = b""
    sample_rate: int = VISITOR_RATE

    @classmethod
    def from_float(cls, pcm: np.ndarray, sample_rate: int = VISITOR_RATE) -> SpokenAudio:
        from parley.voice.audio import to_int16

        return cls(seconds=len(pcm) / sample_rate, pcm16=to_int16(pcm).tobytes(), sample_rate=sample_rate)

    def encoded(self) -> tuple[bytes, str]:
        if self.data:
            return self.data, self.format
        from parley.voice.audio import encode_audio

        return encode_audio(self.pcm16, self.sample_rate, "opus"), "opus"


async def turn_recordings(bot: Bot, conversation_id: uuid.UUID, message_id: uuid.UUID | None, *,
                          visitor: SpokenAudio | None, answer: SpokenAudio | None) -> list[VoiceRecording]:
    """A row for the visitor and one for the bot, when each said something; opus encoding runs in a thread."""
    rows = []
    for speaker, audio in (("visitor", visitor), ("bot", answer)):
        if audio is None or audio.seconds <= 0:
            continue
        data, fmt = await asyncio.to_thread(audio.encoded)
        rows.append(VoiceRecording(org_id=bot.org_id, bot_id=bot.id, conversation_id=conversation_id,
                                   message_id=message_id, speaker=speaker, format=fmt,
                                   duration_s=round(audio.seconds, 3), size_bytes=len(data), data=data))
    return rows


class Recorder:
    """A realtime session's recorder: keep() returns at once, the rows are written in the background."""

    def __init__(self, runtime: Runtime, bot: Bot, *, enabled: bool) -> None:
        self.runtime = runtime
        self.bot = bot
        self.enabled = enabled
        self._writes: set[asyncio.Task] = set()

    def keep(self, conversation_id: uuid.UUID | None, message_id: uuid.UUID | None, *,
             visitor: SpokenAudio | None, answer: SpokenAudio | None) -> None:
        if not self.enabled or conversation_id is None:
            return
        task = asyncio.create_task(self._write(conversation_id, message_id, visitor=visitor, answer=answer))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def drain(self) -> None:
        """Wait for the writes in flight (the session is closing)."""
        await asyncio.gather(*self._writes, return_exceptions=True)

    async def _write(self, conversation_id: uuid.UUID, message_id: uuid.UUID | None, *,
                     visitor: SpokenAudio | None, answer: SpokenAudio | None) -> None:
        try:
            rows = await turn_recordings(self.bot, conversation_id, message_id, visitor=visitor, answer=answer)
            async with self.runtime.db.session() as session:
                await RecordingRepository(session).add_all(rows)
        except Exception:  # a lost recording must not end the call
            log.exception("could not store a voice recording", extra={"conversation_id": str(conversation_id)})


class RecordingService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.recordings = RecordingRepository(session)

    async def list(self, caller: Principal, conversation_id: uuid.UUID) -> RecordingList:
        if await ConversationRepository(self.session).get_readable(caller, conversation_id) is None:
            raise NotFound("Conversation not found.", code="conversation_not_found")
        rows = await self.recordings.list_for_conversation(caller, conversation_id)
        return RecordingList(recordings=[RecordingOut(
            id=r.id, conversation_id=r.conversation_id, message_id=r.message_id, speaker=r.speaker, format=r.format,
            content_type=CONTENT_TYPES[r.format], duration_s=r.duration_s, size_bytes=r.size_bytes,
            created_at=r.created_at) for r in rows])

    async def audio(self, caller: Principal, conversation_id: uuid.UUID, recording_id: uuid.UUID) -> VoiceRecording:
        recording = await self.recordings.get_with_audio(caller, conversation_id, recording_id)
        if recording is None:
            raise NotFound("Recording not found.", code="recording_not_found")
        return recording
