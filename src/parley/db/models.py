"""Imports every domain's models so that the metadata is complete (Alembic, tests)."""

from parley.accounts.models import RefreshToken, User
from parley.audit.models import AuditEvent
from parley.kit.db import Base
from parley.kit.ratelimit_models import RateLimitCounter
from parley.orgs.models import ApiKey, Invitation, Membership, Organization

__all__ = ["ApiKey", "AuditEvent", "Base", "Invitation", "Membership", "Organization", "RateLimitCounter",
           "RefreshToken", "User"]
