from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from parley.bots.schemas import Appearance


class WidgetBot(BaseModel):
    id: uuid.UUID
    name: str
    language: str
    greeting: str
    suggested_questions: list[str]
    handoff_enabled: bool
    lead_capture_enabled: bool
    max_message_chars: int
    appearance: Appearance


class WidgetConfig(BaseModel):
    bot: WidgetBot


class Identity(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    hash: str | None = Field(default=None, max_length=128, description="HMAC-SHA256 of id with the bot's identity secret")


class SessionRequest(BaseModel):
    key: str = Field(min_length=4, max_length=64)
    visitor_id: str | None = Field(default=None, min_length=8, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")
    identity: Identity | None = None


class SessionResponse(BaseModel):
    token: str
    expires_in: int
    visitor_id: str
    conversation_id: uuid.UUID | None


class WidgetMessage(BaseModel):
    id: uuid.UUID
    role: str
    content: str
    citations: list[dict[str, Any]]
    created_at: datetime
    feedback: int | None


class WidgetConversation(BaseModel):
    conversation_id: uuid.UUID | None
    messages: list[WidgetMessage]


class NewConversation(BaseModel):
    conversation_id: uuid.UUID


class WidgetChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=20_000)
    conversation_id: uuid.UUID | None = None
    client_id: str | None = Field(default=None, max_length=100)


class WidgetFeedback(BaseModel):
    rating: Literal[1, -1]
    comment: str | None = Field(default=None, max_length=2000)


class WidgetLead(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=320)
    message: str | None = Field(default=None, max_length=5000)


class WidgetHandoff(BaseModel):
    reason: str | None = Field(default=None, max_length=1000)
