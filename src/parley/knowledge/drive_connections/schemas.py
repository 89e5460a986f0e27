from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class DriveConnectionOut(BaseModel):
    """A connection as the team sees it; the stored secret is never part of it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID
    kind: Literal["oauth", "service_account"]
    label: str
    created_by: uuid.UUID | None
    created_at: datetime


class DriveConnectionList(BaseModel):
    connections: list[DriveConnectionOut]


class ServiceAccountConnectionCreate(BaseModel):
    """The JSON key file downloaded from Google Cloud (IAM > Service accounts > Keys): the object, or its text."""

    key: dict[str, Any] | str = Field(description="The service-account key: the JSON object or the file's text.")


class OAuthStart(BaseModel):
    # Where to go back to in the dashboard once connected (a path on the dashboard, e.g. "/bots/edit/?id=...").
    return_to: str | None = Field(default=None, max_length=500, pattern=r"^/[^/\\]")


class OAuthStartOut(BaseModel):
    authorization_url: str
