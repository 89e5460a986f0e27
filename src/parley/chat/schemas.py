from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=20_000)
    conversation_id: uuid.UUID | None = None
    stream: bool = False


class Citation(BaseModel):
    index: int | None = None
    source: str
    title: str | None = None
    location: str | None = None
    snippet: str
    url: str | None = None
    chunk_id: int | None = None


class ChatResponse(BaseModel):
    answer: str
    citations: list[Citation]
    conversation_id: uuid.UUID | None
    message_id: uuid.UUID | None
    usage: dict[str, int]


class ConversationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    bot_id: uuid.UUID
    channel: str
    visitor_id: str | None
    title: str | None
    needs_human: bool
    handoff_reason: str | None
    message_count: int
    created_at: datetime
    last_message_at: datetime


class ConversationList(BaseModel):
    conversations: list[ConversationOut]
    total: int


class MessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    role: str
    content: str
    status: str
    citations: list[dict[str, Any]]
    tool_calls: list[dict[str, Any]]
    retrieved: list[dict[str, Any]]
    tokens_in: int
    tokens_out: int
    latency_ms: int | None
    model: str | None
    feedback: int | None
    feedback_comment: str | None
    created_at: datetime


class Transcript(BaseModel):
    conversation: ConversationOut
    messages: list[MessageOut]


class FeedbackRequest(BaseModel):
    rating: Literal[1, -1]
    comment: str | None = Field(default=None, max_length=2000)


class LeadOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    conversation_id: uuid.UUID | None
    name: str | None
    email: str
    message: str | None
    created_at: datetime


class LeadList(BaseModel):
    leads: list[LeadOut]
