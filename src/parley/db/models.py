"""Imports every domain's models so that the metadata is complete (Alembic, tests)."""

from parley.accounts.models import PasswordReset, RefreshToken, User
from parley.audit.models import AuditEvent
from parley.bots.models import Bot
from parley.chat.models import Conversation, Lead, Message
from parley.kit.db import Base
from parley.kit.ratelimit_models import RateLimitCounter
from parley.knowledge.drive_connections.models import DriveConnection
from parley.knowledge.models import Chunk, Document, Posting, Source, SourceFile, SourceFilePart
from parley.orgs.models import ApiKey, Invitation, Membership, Organization
from parley.voice.models import AnswerAudio, VoiceSession

__all__ = ["AnswerAudio", "ApiKey", "AuditEvent", "Base", "Bot", "Chunk", "Conversation", "Lead", "Message", "Document", "DriveConnection", "Invitation", "Membership", "Organization", "PasswordReset",
           "Posting", "RateLimitCounter", "RefreshToken", "Source", "SourceFile", "SourceFilePart", "User",
           "VoiceSession"]
