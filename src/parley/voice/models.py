from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from parley.kit.db import Base, IdMixin, TimestampMixin


class VoiceSession(IdMixin, TimestampMixin, Base):
    """One spoken exchange (HTTP) or call (WebSocket); feeds usage metering."""

    __tablename__ = "voice_sessions"

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    bot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bots.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("conversations.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(20))  # http, realtime
    ended_at: Mapped[datetime | None]
    speech_in_s: Mapped[float] = mapped_column(Float, default=0.0)
    speech_out_s: Mapped[float] = mapped_column(Float, default=0.0)
    turns: Mapped[int] = mapped_column(Integer, default=0)
    interruptions: Mapped[int] = mapped_column(Integer, default=0)


class AnswerAudio(IdMixin, TimestampMixin, Base):
    """The spoken answer, served at its audio_url for a limited time."""

    __tablename__ = "answer_audio"

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    format: Mapped[str] = mapped_column(String(10))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class VoiceRecording(IdMixin, TimestampMixin, Base):
    """What was said aloud in one turn, by the visitor or the bot. Kept only when the bot's voice config
    has `keep_recordings` on, and deleted once older than its `recording_retention_days` (voice/tasks.py)."""

    __tablename__ = "voice_recordings"
    __table_args__ = (Index("ix_voice_recordings_created_at", "created_at"),)  # the retention sweep

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    bot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bots.id", ondelete="CASCADE"), index=True)
    # Deleting a conversation deletes its recordings.
    conversation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"),
                                                       index=True)
    # The answer this turn produced.
    message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    speaker: Mapped[str] = mapped_column(String(10))  # visitor, bot
    format: Mapped[str] = mapped_column(String(10))  # opus, mp3, wav (formats.CONTENT_TYPES)
    duration_s: Mapped[float] = mapped_column(Float)
    size_bytes: Mapped[int] = mapped_column(Integer)
    # Loaded only when asked for (undefer), never by a listing.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True, deferred_raiseload=True)
