"""All voice-recording SQL. Reads start from readable_recordings(caller): the caller's organizations only."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, delete, func, literal_column
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from parley.accounts.principal import Principal
from parley.bots.models import Bot
from parley.bots.schemas import VoiceSettings
from parley.orgs.repository import readable_by
from parley.voice.models import VoiceRecording

DEFAULT_RETENTION_DAYS = VoiceSettings().recording_retention_days


def readable_recordings(caller: Principal) -> Select:
    return readable_by(caller, VoiceRecording)


class RecordingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_all(self, recordings: list[VoiceRecording]) -> None:
        self.session.add_all(recordings)
        await self.session.flush()

    async def list_for_conversation(self, caller: Principal, conversation_id: uuid.UUID) -> list[VoiceRecording]:
        rows = await self.session.scalars(readable_recordings(caller)
                                          .where(VoiceRecording.conversation_id == conversation_id)
                                          .order_by(VoiceRecording.created_at, VoiceRecording.speaker.desc()))
        return list(rows)

    async def get_with_audio(self, caller: Principal, conversation_id: uuid.UUID,
                             recording_id: uuid.UUID) -> VoiceRecording | None:
        return await self.session.scalar(readable_recordings(caller).options(undefer(VoiceRecording.data)).where(
            VoiceRecording.conversation_id == conversation_id, VoiceRecording.id == recording_id))

    async def delete_expired(self, now: datetime) -> int:
        """The retention sweep, across all organizations: each bot's own retention period applies."""
        days = func.coalesce(Bot.config["voice"]["recording_retention_days"].as_integer(), DEFAULT_RETENTION_DAYS)
        result = await self.session.execute(delete(VoiceRecording).where(
            VoiceRecording.bot_id == Bot.id,
            VoiceRecording.created_at < now - days * literal_column("interval '1 day'")))
        return result.rowcount or 0
