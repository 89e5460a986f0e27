from __future__ import annotations

import re
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
    # Cosine similarity (MiniLM) under which retrieval counts as weak: related ≥ ~0.23, unrelated ≤ ~0.1.
    min_relevance: float = Field(default=0.2, ge=0, le=1)
    # Search with the visitor's message before the model runs: one model round trip fewer per answer.
    # The model may still search again with its own query. Off: the model decides when to search.
    search_first: bool = True


class Appearance(BaseModel):
    primary_color: str = Field(default="#4f46e5", pattern=r"^#[0-9a-fA-F]{6}$")
    theme: Literal["light", "dark", "auto"] = "auto"
    position: Literal["right", "left"] = "right"
    launcher_icon: Literal["chat", "help", "sparkle"] = "chat"
    avatar_url: HttpUrl | None = None
    title: str = Field(default="Chat with us", max_length=100)
    bubble_text: str = Field(default="Questions? Ask me!", max_length=200)


class HttpAction(BaseModel):
    """A custom tool: the bot calls an HTTP endpoint with parameters it fills from the conversation."""

    name: str = Field(pattern=r"^[a-zA-Z][a-zA-Z0-9_]{0,63}$")
    description: str = Field(min_length=1, max_length=1000)
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "GET"
    url_template: str = Field(min_length=8, max_length=2000, description="e.g. https://api.example.com/orders/{order_id}")
    parameters: dict = Field(default_factory=lambda: {"type": "object", "properties": {}},
                             description="JSON schema of the parameters")
    headers: dict[str, str] = Field(default_factory=dict, description="Plain headers")
    secret_headers: dict[str, str] = Field(default_factory=dict,
                                           description="Write-only: stored encrypted, shown masked")
    timeout_s: float = Field(default=10, gt=0, le=30)


class ToolSettings(BaseModel):
    lead_capture: bool = True
    handoff: bool = True
    http_actions: list[HttpAction] = Field(default_factory=list, max_length=20)


class Limits(BaseModel):
    max_tool_calls: int = Field(default=4, ge=1, le=10)
    max_tokens_per_turn: int = Field(default=6000, ge=256, le=100_000)
    max_message_chars: int = Field(default=4000, ge=100, le=20_000)


class VoiceSettings(BaseModel):
    stt_provider: Literal["local", "groq"] = "local"
    stt_language: str | None = Field(default="en", max_length=10)
    tts_provider: Literal["piper", "deepgram"] = "piper"
    tts_voice: str | None = Field(default=None, max_length=100)
    speaking_rate: float = Field(default=1.0, ge=0.5, le=2.0)
    vad_threshold: float = Field(default=0.5, ge=0.1, le=0.95)
    end_of_speech_ms: int = Field(default=600, ge=200, le=3000)
    keep_recordings: bool = False
    recording_retention_days: int = Field(default=30, ge=1, le=365)

    @field_validator("tts_voice")
    @classmethod
    def _known_voice(cls, voice: str | None, info) -> str | None:
        provider = info.data.get("tts_provider")
        if voice is None:
            return None
        if provider == "piper" and voice not in ("default", "joe"):
            raise ValueError("the offline Piper voice is 'default' (joe, en-US)")
        if provider == "deepgram" and not re.fullmatch(r"aura(-2)?-[a-z]+-[a-z]{2}", voice):
            raise ValueError("Deepgram voices look like 'aura-2-thalia-en'")
        return voice


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
    appearance: Appearance = Appearance()
    tools: ToolSettings = ToolSettings()
    limits: Limits = Limits()
    voice: VoiceSettings = VoiceSettings()

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
