from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict


class RecordingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    conversation_id: uuid.UUID
    message_id: uuid.UUID | None
    speaker: Literal["visitor", "bot"]
    format: str
    content_type: str
    duration_s: float
    size_bytes: int
    created_at: datetime


class RecordingList(BaseModel):
    recordings: list[RecordingOut]
