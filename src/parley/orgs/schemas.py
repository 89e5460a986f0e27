from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from parley.orgs.models import Role


class OrgCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class OrgUpdate(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class OrgOut(BaseModel):
    id: uuid.UUID
    name: str
    role: str
    created_at: datetime


class MemberOut(BaseModel):
    user_id: uuid.UUID
    email: str
    name: str | None
    role: str
    joined_at: datetime


class RoleChange(BaseModel):
    role: Role


class InvitationCreate(BaseModel):
    email: EmailStr = Field(max_length=320)
    role: Role = Role.member


class InvitationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID
    email: str
    role: str
    expires_at: datetime
    created_at: datetime


class InvitationCreated(InvitationOut):
    token: str
    invite_url: str
    email_sent: bool


class InvitationAccepted(BaseModel):
    org_id: uuid.UUID
    role: str


class ApiKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role = Role.admin


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The full key. It is shown only once.")


class AuditEventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    action: str
    actor_user_id: uuid.UUID | None
    actor_api_key_id: uuid.UUID | None
    target_type: str | None
    target_id: str | None
    ip: str | None
    data: dict[str, Any]
    created_at: datetime


LlmKeyProvider = Literal["groq", "openai-compatible"]


class ProviderKeySet(BaseModel):
    api_key: str = Field(min_length=8, max_length=500, description="The provider's API key. It is stored "
                         "encrypted and never shown again.")

    @field_validator("api_key")
    @classmethod
    def _no_whitespace(cls, value: str) -> str:
        value = value.strip()
        if not value or any(ch.isspace() for ch in value):
            raise ValueError("An API key has no spaces or line breaks.")
        return value


class ProviderKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    provider: str
    hint: str = Field(description="The key's last characters, e.g. '…a1b2'.")
    created_at: datetime
    updated_at: datetime
