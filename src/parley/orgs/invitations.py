"""Invite people by email; they join by accepting the link's token."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.accounts.repository import UserRepository
from parley.audit.service import record
from parley.config import Settings
from parley.jobs.queue import enqueue
from parley.kit.db import utcnow
from parley.kit.errors import Conflict, Forbidden, NotFound
from parley.kit.security import hash_token, new_token
from parley.orgs.access import authorize
from parley.orgs.email_tasks import SEND_EMAIL
from parley.orgs.models import Invitation, Role
from parley.orgs.repository import InvitationRepository, MemberRepository, OrgRepository
from parley.orgs.schemas import InvitationAccepted, InvitationCreated, InvitationOut

log = logging.getLogger("parley.invitations")


class InvitationService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.invitations = InvitationRepository(session)

    async def create(self, caller: Principal, org_id: uuid.UUID, email: str, role: Role) -> InvitationCreated:
        my_role = await authorize(self.session, caller, org_id, Role.admin)
        if not my_role.at_least(role):
            raise Forbidden("You can't invite someone with a higher role than your own.")
        email = email.lower()
        existing = await UserRepository(self.session).by_email(email)
        if existing and await MemberRepository(self.session, org_id).get(existing.id):
            raise Conflict("This person is already a member.", code="already_member")
        token = new_token()
        invitation = await self.invitations.add(Invitation(
            org_id=org_id, email=email, role=role.value, token_hash=hash_token(token),
            invited_by=caller.user_id, expires_at=utcnow() + timedelta(seconds=self.settings.invitation_ttl_s)))
        url = f"{self.settings.public_url.rstrip('/')}/invite/?token={token}"
        org = await OrgRepository(self.session).get_readable(caller, org_id)
        log.info("invitation created", extra={"org_id": str(org_id), "email": email, "invite_url": url})
        email_sent = bool(self.settings.smtp_host)
        if email_sent:
            await enqueue(self.session, SEND_EMAIL, to=email, subject=f"You're invited to {org.name} on Parley",
                          body=f"You have been invited to join {org.name} on Parley as {role.value}.\n\n"
                               f"Accept the invitation: {url}\n")
        record(self.session, "invitation.created", actor=caller, org_id=org_id, target_type="invitation",
               target_id=invitation.id, email=email, role=role.value)
        return InvitationCreated(**InvitationOut.model_validate(invitation).model_dump(), token=token,
                                 invite_url=url, email_sent=email_sent)

    async def list(self, caller: Principal, org_id: uuid.UUID) -> list[InvitationOut]:
        await authorize(self.session, caller, org_id, Role.admin)
        return [InvitationOut.model_validate(i) for i in await self.invitations.list_pending(org_id, utcnow())]

    async def revoke(self, caller: Principal, org_id: uuid.UUID, invitation_id: uuid.UUID) -> None:
        await authorize(self.session, caller, org_id, Role.admin)
        invitation = await self.invitations.get_in_org(org_id, invitation_id)
        if invitation is None:
            raise NotFound("Invitation not found.", code="invitation_not_found")
        if invitation.revoked_at is None and invitation.accepted_at is None:
            invitation.revoked_at = utcnow()
            record(self.session, "invitation.revoked", actor=caller, org_id=org_id, target_type="invitation",
                   target_id=invitation_id)

    async def accept(self, caller: Principal, token: str) -> InvitationAccepted:
        invitation = await self.invitations.by_token_hash_for_update(hash_token(token))
        if (invitation is None or invitation.revoked_at is not None or invitation.accepted_at is not None
                or invitation.expires_at <= utcnow()):
            raise NotFound("This invitation is invalid, expired or already used.", code="invitation_not_found")
        user = await UserRepository(self.session).get(caller.user_id)
        if user is None or user.email != invitation.email:
            raise Forbidden("This invitation was sent to a different email address.", code="invitation_email_mismatch")
        members = MemberRepository(self.session, invitation.org_id)
        if await members.get(user.id) is None:
            await members.add(user.id, invitation.role)
        invitation.accepted_at = utcnow()
        record(self.session, "member.joined", actor=caller, org_id=invitation.org_id, target_type="user",
               target_id=user.id, role=invitation.role, invitation_id=str(invitation.id))
        return InvitationAccepted(org_id=invitation.org_id, role=invitation.role)
