"""Sign-up, sign-in, token refresh, sign-out and password change."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.models import User
from parley.accounts.passwords import check_password_strength
from parley.accounts.principal import Principal
from parley.accounts.repository import UserRepository
from parley.accounts.schemas import (
    MeResponse,
    OrganizationBrief,
    SignupRequest,
    SignupResponse,
    TokenPair,
    UserOut,
)
from parley.accounts.tokens import TokenIssuer
from parley.audit.service import record
from parley.kit.db import utcnow
from parley.kit.errors import Conflict, Unauthorized
from parley.kit.security import hash_password, verify_password
from parley.orgs.api_keys import ApiKeyService
from parley.orgs.models import Organization
from parley.orgs.repository import OrgRepository
from parley.runtime import Runtime


class AccountService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.users = UserRepository(session)
        settings = runtime.settings
        self.tokens = TokenIssuer(session, runtime.jwt, access_ttl_s=settings.access_token_ttl_s,
                                  refresh_ttl_s=settings.refresh_token_ttl_s)

    async def signup(self, request: SignupRequest, ip: str) -> SignupResponse:
        email = request.email.lower()
        check_password_strength(request.password, email=email)
        if await self.users.by_email(email) is not None:
            raise Conflict("An account with this email already exists.", code="email_taken")
        try:
            async with self.session.begin_nested():  # a concurrent sign-up loses cleanly, as a 409
                user = await self.users.add(User(email=email, name=request.name,
                                                 password_hash=hash_password(request.password)))
        except IntegrityError as exc:
            raise Conflict("An account with this email already exists.", code="email_taken") from exc
        workspace = f"{request.name or email.split('@')[0]}'s workspace"[:200]
        org = await OrgRepository(self.session).add(Organization(name=workspace), owner_id=user.id)
        record(self.session, "auth.signup", actor_user_id=user.id, target_type="user", target_id=user.id, ip=ip)
        record(self.session, "org.created", actor_user_id=user.id, org_id=org.id, target_type="organization",
               target_id=org.id, ip=ip)
        tokens = await self.tokens.issue(user.id)
        return SignupResponse(**tokens.model_dump(), user=UserOut.model_validate(user),
                              organization=OrganizationBrief(id=org.id, name=org.name, role="owner"))

    async def login(self, email: str, password: str, ip: str) -> TokenPair:
        user = await self.users.by_email(email.lower())
        # verify_password runs a full argon2 check even for unknown users: same answer, same time.
        if not verify_password(user.password_hash if user else None, password):
            if user is not None:
                record(self.session, "auth.login_failed", actor_user_id=user.id, ip=ip)
            raise Unauthorized("The email or password is incorrect.", code="invalid_credentials",
                               keep_changes=True)
        record(self.session, "auth.login", actor_user_id=user.id, ip=ip)
        return await self.tokens.issue(user.id)

    async def refresh(self, refresh_token: str) -> TokenPair:
        _, tokens = await self.tokens.rotate(refresh_token)
        return tokens

    async def logout(self, refresh_token: str, ip: str) -> None:
        user_id = await self.tokens.revoke(refresh_token)
        if user_id is not None:
            record(self.session, "auth.logout", actor_user_id=user_id, ip=ip)

    async def change_password(self, caller: Principal, current: str, new: str) -> TokenPair:
        user = await self.users.get(caller.user_id)
        if user is None or not verify_password(user.password_hash, current):
            raise Unauthorized("The current password is incorrect.", code="invalid_credentials")
        check_password_strength(new, email=user.email)
        user.password_hash = hash_password(new)
        user.password_changed_at = utcnow()
        # Every other session ends; the caller continues with the fresh pair returned here.
        await self.tokens.revoke_all(user.id)
        record(self.session, "auth.password_changed", actor=caller, target_type="user", target_id=user.id)
        return await self.tokens.issue(user.id)

    async def me(self, caller: Principal) -> MeResponse:
        if caller.kind == "api_key":
            orgs = [OrganizationBrief(id=org.id, name=org.name, role=role)
                    for org, role in await OrgRepository(self.session).list_with_roles(caller)]
            key = await ApiKeyService(self.session).identity(caller)
            return MeResponse(user=None, api_key=key, organizations=orgs)
        # The hot path of every dashboard page: one SELECT for the user and their organizations.
        rows = await self.users.with_organizations(caller.user_id)
        if not rows:
            raise Unauthorized("This account no longer exists.", code="invalid_token")
        first = rows[0]
        return MeResponse(user=UserOut(id=first.id, email=first.email, name=first.name, created_at=first.created_at),
                          organizations=[OrganizationBrief(id=row.org_id, name=row.org_name, role=row.role)
                                         for row in rows if row.org_id is not None])
