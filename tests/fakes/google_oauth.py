"""Google's OAuth 2.0 token endpoint (POST /token) as google-auth and a code exchange call it.

Grants: authorization_code (single-use codes bound to a redirect URI), refresh_token, and the
JWT-bearer grant of service accounts, whose assertion is verified with the account's public
key and Google's token URI as audience (google-auth sends that audience whatever token_uri is).
Errors use Google's {"error", "error_description"} shape. Other fakes check bearer tokens here.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
DRIVE_READONLY = "https://www.googleapis.com/auth/drive.readonly"


@dataclass
class Grant:
    client: str  # OAuth client id, or service-account email
    scopes: set[str]
    subject: str | None = None  # the user a service account acts for
    expires: float = 0.0


class FakeGoogleOAuth:
    def __init__(self) -> None:
        self.lock = threading.RLock()  # tests script from their thread while the server runs in another
        self.clients: dict[str, str] = {}  # client id -> secret
        self.codes: dict[str, tuple[Grant, str]] = {}  # code -> (grant, redirect_uri)
        self.refresh_tokens: dict[str, Grant] = {}
        self.access_tokens: dict[str, Grant] = {}
        self.service_accounts: dict[str, rsa.RSAPublicKey] = {}  # email -> public key
        self.token_grants: list[str] = []  # grant_type of each POST /token, in order

    # -- scripting from tests --

    def add_client(self, client_id: str, secret: str) -> None:
        self.clients[client_id] = secret

    def issue_code(self, client_id: str, redirect_uri: str, scopes: set[str] | None = None) -> str:
        """What Google appends to the redirect once the user consents."""
        code = "4/" + secrets.token_urlsafe(24)
        self.codes[code] = (Grant(client_id, scopes or {DRIVE_READONLY}), redirect_uri)
        return code

    def add_service_account(self, email: str = "sync@demo-project.iam.gserviceaccount.com") -> dict[str, Any]:
        """A key file like Google Cloud's download; its token_uri is a closed port, so callers override it."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.service_accounts[email] = key.public_key()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
        return {
            "type": "service_account",
            "project_id": "demo-project",
            "private_key_id": secrets.token_hex(20),
            "private_key": pem,
            "client_email": email,
            "client_id": "1234567890",
            "token_uri": "http://127.0.0.1:9/token",
            "universe_domain": "googleapis.com",
        }

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens.clear()

    def revoke_refresh_token(self, refresh_token: str) -> None:
        with self.lock:
            self.refresh_tokens.pop(refresh_token, None)

    def grant_for(self, authorization: str | None) -> Grant | None:
        """The grant behind an "Authorization: Bearer ..." header, if the token is live."""
        scheme, _, token = (authorization or "").partition(" ")
        with self.lock:
            grant = self.access_tokens.get(token) if scheme.lower() == "bearer" else None
        return grant if grant is not None and grant.expires > time.time() else None

    # -- the endpoint --

    async def token_endpoint(self, request: Request) -> Response:
        form = {key: values[0] for key, values in parse_qs((await request.body()).decode()).items()}
        with self.lock:
            grant_type = form.get("grant_type", "")
            self.token_grants.append(grant_type)
            if grant_type == JWT_BEARER:
                return self._jwt_grant(form.get("assertion", ""))
            if self.clients.get(form.get("client_id", "")) != form.get("client_secret"):
                return oauth_error(401, "invalid_client", "The OAuth client was not found.")
            if grant_type == "authorization_code":
                return self._code_grant(form)
            if grant_type == "refresh_token":
                grant = self.refresh_tokens.get(form.get("refresh_token", ""))
                if grant is None or grant.client != form["client_id"]:
                    return oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
                return self._issue(grant)
            return oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant_type}")

    def _code_grant(self, form: dict[str, str]) -> Response:
        issued = self.codes.pop(form.get("code", ""), None)  # single use
        if issued is None or issued[0].client != form["client_id"]:
            return oauth_error(400, "invalid_grant", "Malformed auth code.")
        grant, redirect_uri = issued
        if form.get("redirect_uri") != redirect_uri:
            return oauth_error(400, "redirect_uri_mismatch", "Bad Request")
        refresh_token = "1//" + secrets.token_urlsafe(32)
        self.refresh_tokens[refresh_token] = grant
        return self._issue(grant, refresh_token=refresh_token)

    def _jwt_grant(self, assertion: str) -> Response:
        try:
            issuer = jwt.decode(assertion, options={"verify_signature": False}).get("iss", "")
            claims = jwt.decode(
                assertion,
                self.service_accounts[issuer],
                algorithms=["RS256"],
                audience=TOKEN_AUDIENCE,
                options={"require": ["iss", "aud", "iat", "exp", "scope"]},
            )
        except (jwt.InvalidTokenError, KeyError):
            return oauth_error(400, "invalid_grant", "Invalid JWT Signature.")
        return self._issue(Grant(issuer, set(claims["scope"].split()), claims.get("sub")))

    def _issue(self, grant: Grant, *, refresh_token: str | None = None) -> Response:
        access_token = "ya29." + secrets.token_urlsafe(32)
        self.access_tokens[access_token] = Grant(
            grant.client, grant.scopes, grant.subject, time.time() + 3599
        )
        body = {
            "access_token": access_token,
            "expires_in": 3599,
            "token_type": "Bearer",
            "scope": " ".join(sorted(grant.scopes)),
        }
        if refresh_token:
            body["refresh_token"] = refresh_token
        return JSONResponse(body)


def oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)
