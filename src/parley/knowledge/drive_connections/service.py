"""Use cases: list, connect (service-account key or OAuth) and remove an organization's Drive connections."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.models import User
from parley.accounts.principal import Principal
from parley.audit.service import record
from parley.kit.errors import BadRequest, NotFound
from parley.kit.security import TokenError
from parley.knowledge.drive_connections.credentials import oauth_client
from parley.knowledge.drive_connections.models import DriveConnection
from parley.knowledge.drive_connections.repository import DriveConnectionRepository
from parley.knowledge.drive_connections.schemas import DriveConnectionOut
from parley.knowledge.gdrive import (
    DriveAuthError,
    authorization_url,
    callback_error_message,
    credentials_from_service_account,
    exchange_code,
    make_pkce_pair,
    validate_service_account_info,
    verify_credentials,
)
from parley.orgs.access import authorize
from parley.orgs.models import Role
from parley.runtime import Runtime

STATE_TOKEN_TYPE = "drive_oauth"


@dataclass
class OAuthResult:
    connection: DriveConnectionOut
    return_to: str | None


class DriveConnectionService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime
        self.settings = runtime.settings

    async def list(self, caller: Principal, org_id: uuid.UUID) -> list[DriveConnectionOut]:
        # Members add Drive sources, so they may see which connections exist (never their secrets).
        await authorize(self.session, caller, org_id, Role.member)
        return [DriveConnectionOut.model_validate(c) for c in await DriveConnectionRepository(self.session,
                                                                                              org_id).list()]

    async def delete(self, caller: Principal, org_id: uuid.UUID, connection_id: uuid.UUID) -> None:
        await authorize(self.session, caller, org_id, Role.admin)
        repo = DriveConnectionRepository(self.session, org_id)
        connection = await repo.get(connection_id)
        if connection is None:
            raise NotFound("Drive connection not found.", code="not_found")
        await repo.delete(connection)
        record(self.session, "drive_connection.deleted", actor=caller, org_id=org_id,
               target_type="drive_connection", target_id=connection_id, label=connection.label)

    async def add_service_account(self, caller: Principal, org_id: uuid.UUID, key: object) -> DriveConnectionOut:
        await authorize(self.session, caller, org_id, Role.admin)
        if isinstance(key, str):
            try:
                key = json.loads(key)
            except ValueError as exc:
                raise BadRequest("The service-account key is not valid JSON. Upload the .json file downloaded "
                                 "from Google Cloud.", code="invalid_service_account") from exc
        try:
            info = validate_service_account_info(key)
            credentials = credentials_from_service_account(info, token_uri=self.settings.google_token_uri)
        except DriveAuthError as exc:
            raise BadRequest(exc.message, code="invalid_service_account") from exc
        try:
            await verify_credentials(credentials)
        except DriveAuthError as exc:
            raise BadRequest(exc.message, code="drive_auth_failed") from exc
        return await self._store(caller, org_id, kind="service_account", label=info["client_email"],
                                 secret=json.dumps(info))

    async def oauth_start(self, caller: Principal, org_id: uuid.UUID, return_to: str | None) -> str:
        await authorize(self.session, caller, org_id, Role.admin)
        if not caller.is_user:
            raise BadRequest("Connecting Google Drive with Google sign-in needs a signed-in user, not an API key. "
                             "Use a service-account key instead.", code="user_required")
        client = oauth_client(self.settings)
        if client is None:
            raise BadRequest("Google sign-in is not configured on this server: set PARLEY_GOOGLE_CLIENT_ID and "
                             "PARLEY_GOOGLE_CLIENT_SECRET, or connect with a service-account key.",
                             code="google_oauth_not_configured")
        verifier, challenge = make_pkce_pair()
        claims = {"org": str(org_id), "pkce": self.runtime.secret_box.encrypt(verifier)}
        if return_to:
            claims["return_to"] = return_to
        state = self.runtime.jwt.encode(str(caller.user_id), ttl_s=self.settings.drive_oauth_state_ttl_s,
                                        token_type=STATE_TOKEN_TYPE, **claims)
        return authorization_url(client[0], self.settings.drive_redirect_uri, state,
                                 auth_uri=self.settings.google_auth_uri, code_challenge=challenge)

    def return_to(self, state: str | None) -> str | None:
        """Where the dashboard wants to go back to, if the state is genuine (even when connecting failed)."""
        try:
            return self.runtime.jwt.decode(state or "", token_type=STATE_TOKEN_TYPE).get("return_to")
        except TokenError:
            return None

    async def oauth_callback(self, *, code: str | None, state: str | None, error: str | None) -> OAuthResult:
        try:
            claims = self.runtime.jwt.decode(state or "", token_type=STATE_TOKEN_TYPE)
            user_id, org_id = uuid.UUID(claims["sub"]), uuid.UUID(claims["org"])
            verifier = self.runtime.secret_box.decrypt(claims["pkce"])
        except (TokenError, KeyError, ValueError) as exc:
            raise BadRequest("This Google sign-in link is invalid or has expired. Start connecting Google Drive "
                             "again from the dashboard.", code="invalid_oauth_state") from exc
        caller = Principal(kind="user", user_id=user_id)
        await authorize(self.session, caller, org_id, Role.admin)
        if error:
            raise BadRequest(callback_error_message(error), code="drive_oauth_denied")
        if not code:
            raise BadRequest("Google did not send a sign-in code. Please connect Google Drive again.",
                             code="drive_oauth_denied")
        client = oauth_client(self.settings)
        if client is None:
            raise BadRequest("Google sign-in is not configured on this server.", code="google_oauth_not_configured")
        try:
            tokens = await exchange_code(code, client_id=client[0], client_secret=client[1],
                                         redirect_uri=self.settings.drive_redirect_uri,
                                         token_uri=self.settings.google_token_uri, code_verifier=verifier)
        except DriveAuthError as exc:
            raise BadRequest(exc.message, code="drive_auth_failed") from exc
        user = await self.session.get(User, user_id)
        label = f"Google account of {user.email}" if user else "Google account"
        connection = await self._store(caller, org_id, kind="oauth", label=label, secret=tokens.refresh_token)
        return OAuthResult(connection, claims.get("return_to"))

    async def _store(self, caller: Principal, org_id: uuid.UUID, *, kind: str, label: str,
                     secret: str) -> DriveConnectionOut:
        connection = await DriveConnectionRepository(self.session, org_id).add(DriveConnection(
            kind=kind, label=label[:320], secret_encrypted=self.runtime.secret_box.encrypt(secret),
            created_by=caller.user_id))
        record(self.session, "drive_connection.created", actor=caller, org_id=org_id,
               target_type="drive_connection", target_id=connection.id, kind=kind, label=connection.label)
        return DriveConnectionOut.model_validate(connection)
