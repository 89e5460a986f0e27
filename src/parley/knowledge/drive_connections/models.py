from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from parley.kit.db import Base, IdMixin, TimestampMixin

CONNECTION_KINDS = ("oauth", "service_account")


class DriveConnection(IdMixin, TimestampMixin, Base):
    """Access to Google Drive for one organization: a user's OAuth grant or a service-account key."""

    __tablename__ = "drive_connections"

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "oauth" | "service_account"
    # What the team sees: the connecting user's email, or the service account's client_email.
    label: Mapped[str] = mapped_column(String(320))
    # The refresh token, or the service-account JSON key, encrypted with the SecretBox. Never returned.
    secret_encrypted: Mapped[str] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
