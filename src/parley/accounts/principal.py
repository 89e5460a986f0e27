"""Who is calling: a signed-in user, or an organization's API key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from parley.orgs.models import Role


@dataclass(frozen=True, slots=True)
class Principal:
    kind: Literal["user", "api_key"]
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    # An API key acts inside exactly one organization, with a fixed role.
    key_org_id: uuid.UUID | None = None
    key_role: Role | None = None
    ip: str | None = None

    @property
    def is_user(self) -> bool:
        return self.kind == "user"
