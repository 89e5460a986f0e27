from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

Provider = Literal["extractive", "groq", "openai-compatible"]


class ModelSettings(BaseModel):
    provider: Provider = "extractive"
    model: str = Field(default="extractive", max_length=200)
    base_url: HttpUrl | None = None
    temperature: float = Field(default=0.2, ge=0, le=2)
    max_answer_tokens: int = Field(default=512, ge=16, le=8192)
    fallback_to_extractive: bool = True


class RetrievalSettings(BaseModel):
    k: int = Field(default=5, ge=1, le=20)
    min_relevance: float = Field(default=0.35, ge=0, le=1)


class BotConfig(BaseModel):
    """Everything about a bot that is not an identity column. Stored as JSONB, validated here."""

    model_config = ConfigDict(extra="forbid")

    instructions: str = Field(default="You are a helpful assistant. Answer from the knowledge base.",
                              max_length=8000)
    persona: str = Field(default="", max_length=500)
    tone: Literal["friendly", "neutral", "formal", "playful"] = "friendly"
    language: str = Field(default="en", max_length=10)
    model: ModelSettings = ModelSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    idk_policy: Literal["fallback_message", "best_effort"] = "fallback_message"
    fallback_message: str = Field(default="I don't know the answer to that from the documents I have.",
                                  max_length=1000)
    greeting: str = Field(default="Hi! How can I help you today?", max_length=1000)
    suggested_questions: list[str] = Field(default_factory=list, max_length=6)

    @field_validator("suggested_questions")
    @classmethod
    def _short_questions(cls, questions: list[str]) -> list[str]:
        if any(len(q) > 200 or not q.strip() for q in questions):
            raise ValueError("each suggested question must be 1 to 200 characters")
        return questions


class BotCreate(BaseModel):
    org_id: uuid.UUID | None = None
    name: str = Field(min_length=1, max_length=200)
    config: BotConfig = BotConfig()
    allowed_origins: list[str] = Field(default_factory=list, max_length=50)
    enabled: bool = True


class BotUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    config: BotConfig | None = None
    allowed_origins: list[str] | None = Field(default=None, max_length=50)
    enabled: bool | None = None


class BotOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID
    name: str
    config: BotConfig
    enabled: bool
    public_key: str
    allowed_origins: list[str]
    embedding_model: str
    embedding_dim: int
    created_at: datetime
    updated_at: datetime
