"""Getting Drive credentials: the OAuth authorization-code flow, or a service-account key.

The code exchange is one standard form POST (RFC 6749 §4.1.3), done with httpx so it is
async and needs no process-wide settings (oauthlib insists on OAUTHLIB_INSECURE_TRANSPORT
for plain-HTTP token endpoints). Everything after that goes through google-auth Credentials,
which refresh themselves against `token_uri`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import google_auth_httplib2
import httplib2
import httpx
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import exceptions as google_exceptions
from google.auth.credentials import Credentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account

from .errors import DriveAuthError

GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/v2/auth"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
DRIVE_READONLY_SCOPE = "https://www.googleapis.com/auth/drive.readonly"
DRIVE_SCOPES: tuple[str, ...] = (DRIVE_READONLY_SCOPE,)
# Either of these lets Parley read the files the user picks.
_READING_SCOPES = frozenset({DRIVE_READONLY_SCOPE, "https://www.googleapis.com/auth/drive"})

_TOKEN_ERRORS = {
    "invalid_grant": "The Google sign-in code is invalid, expired or already used. "
    "Please connect Google Drive again.",
    "redirect_uri_mismatch": "The redirect URI does not match the one registered for the Google OAuth "
    "client.",
    "invalid_client": "Google did not accept the OAuth client id or secret. Check the Google Drive settings.",
    "unauthorized_client": "This Google OAuth client is not allowed to use this sign-in method.",
    "invalid_scope": "Google did not accept the requested Drive permission.",
    "access_denied": "Access to Google Drive was denied.",
}


@dataclass(frozen=True)
class OAuthTokens:
    refresh_token: str  # long-lived: store it encrypted
    access_token: str
    expiry: datetime  # aware, UTC
    scopes: tuple[str, ...]


def authorization_url(
    client_id: str,
    redirect_uri: str,
    state: str,
    *,
    auth_uri: str = GOOGLE_AUTH_URI,
    code_challenge: str | None = None,
) -> str:
    """Where to send the user to grant read access to their Drive.

    `prompt=consent` makes Google return a refresh token even when the user has connected before.
    `code_challenge` (optional PKCE, S256) pairs with the `code_verifier` given to exchange_code.
    """
    params = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": " ".join(DRIVE_SCOPES),
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
        "state": state,
    }
    if code_challenge:
        params |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
    return f"{auth_uri}?{urlencode(params)}"


def make_pkce_pair() -> tuple[str, str]:
    """A fresh (code_verifier, code_challenge) pair (RFC 7636, S256)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def callback_error_message(error: str) -> str:
    """Plain words for the `error` query parameter Google puts on the redirect."""
    if error == "access_denied":
        return "Google Drive was not connected: access was declined on Google's consent screen."
    return _TOKEN_ERRORS.get(error, f"Google could not connect Drive ({error}).")


async def exchange_code(
    code: str,
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    token_uri: str = GOOGLE_TOKEN_URI,
    code_verifier: str | None = None,
    timeout_s: float = 15.0,
) -> OAuthTokens:
    """Trade the code from the OAuth redirect for tokens; raises DriveAuthError in plain words."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": client_id,
        "client_secret": client_secret,
        "redirect_uri": redirect_uri,
    }
    if code_verifier:
        form["code_verifier"] = code_verifier
    try:
        async with httpx.AsyncClient(timeout=timeout_s) as http:
            response = await http.post(token_uri, data=form, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise DriveAuthError("Could not reach Google to finish connecting Drive. Please try again.") from exc
    body = _json_object(response)
    if response.status_code != 200:
        raise DriveAuthError(_token_error_message(body, response.status_code))
    return _tokens_from(body)


def credentials_from_refresh_token(
    refresh_token: str,
    *,
    client_id: str,
    client_secret: str,
    token_uri: str = GOOGLE_TOKEN_URI,
    scopes: Sequence[str] = DRIVE_SCOPES,
    access_token: str | None = None,
    expiry: datetime | None = None,
) -> user_credentials.Credentials:
    """User credentials that fetch access tokens from `token_uri` when they need one.

    Pass a still-valid `access_token` and its `expiry` to skip the first refresh.
    """
    return user_credentials.Credentials(
        token=access_token,
        refresh_token=refresh_token,
        token_uri=token_uri,
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(scopes),
        expiry=_naive_utc(expiry) if access_token and expiry else None,
    )


def validate_service_account_info(info: object) -> dict[str, Any]:
    """Check a service-account key (the parsed JSON file) and return a copy; DriveAuthError if unusable."""
    if not isinstance(info, dict):
        raise DriveAuthError(
            "The service-account key must be a JSON object, as downloaded from Google Cloud."
        )
    kind = info.get("type")
    if kind == "authorized_user":
        raise DriveAuthError(
            "This is a user credentials file, not a service-account key. Create a key for a service "
            "account in Google Cloud (IAM > Service accounts > Keys) and upload that JSON file."
        )
    if kind != "service_account":
        raise DriveAuthError(
            f'This JSON is not a Google service-account key: its "type" is {kind!r}, not "service_account".'
        )
    missing = [name for name in ("client_email", "private_key") if not _nonempty_str(info.get(name))]
    if missing:
        raise DriveAuthError(f"The service-account key is missing {' and '.join(missing)}.")
    if "@" not in info["client_email"]:
        raise DriveAuthError("The service-account key's client_email is not an email address.")
    for name in ("token_uri", "private_key_id"):
        if name in info and not isinstance(info[name], str):
            raise DriveAuthError(f"The service-account key's {name} must be a string.")
    try:
        key = serialization.load_pem_private_key(info["private_key"].encode(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise DriveAuthError(
            "The service-account key's private_key is not a readable PEM private key. "
            "Was the file edited or cut short? Download a new key from Google Cloud."
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise DriveAuthError("The service-account key's private_key is not an RSA key.")
    return dict(info)


def credentials_from_service_account(
    info: dict[str, Any],
    *,
    token_uri: str | None = None,
    subject: str | None = None,
    scopes: Sequence[str] = DRIVE_SCOPES,
) -> service_account.Credentials:
    """Service-account credentials (JWT-bearer grant). `token_uri` overrides the key's own;
    `subject` impersonates a Workspace user (domain-wide delegation)."""
    clean = validate_service_account_info(info)
    clean["token_uri"] = token_uri or clean.get("token_uri") or GOOGLE_TOKEN_URI
    try:
        return service_account.Credentials.from_service_account_info(
            clean, scopes=list(scopes), subject=subject
        )
    except (ValueError, google_exceptions.GoogleAuthError) as exc:
        raise DriveAuthError(f"The service-account key could not be used: {exc}") from exc


async def verify_credentials(credentials: Credentials, *, timeout_s: float = 15.0) -> None:
    """Fetch an access token now, so a bad key or a revoked grant shows up when the user connects."""

    def refresh() -> None:
        credentials.refresh(google_auth_httplib2.Request(httplib2.Http(timeout=timeout_s)))

    try:
        await asyncio.to_thread(refresh)
    except google_exceptions.RefreshError as exc:
        raise DriveAuthError(refresh_error_message(exc)) from exc
    except (google_exceptions.TransportError, httplib2.HttpLib2Error, OSError) as exc:
        raise DriveAuthError(
            "Could not reach Google to check the Drive credentials. Please try again."
        ) from exc


def refresh_error_message(exc: google_exceptions.RefreshError) -> str:
    """Plain words for google-auth's refusal to get an access token."""
    data = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], dict) else {}
    error, description = data.get("error", ""), data.get("error_description", "")
    if error == "invalid_grant" and "JWT" in description:
        return (
            "Google rejected the service-account key. It may have been deleted or disabled; upload a new key."
        )
    if error == "invalid_grant":
        return "Google Drive access was revoked or has expired. Please connect Google Drive again."
    if error == "unauthorized_client":
        return (
            "The service account is not allowed to act for this user. "
            "Check the domain-wide delegation settings in Google Workspace."
        )
    if error in _TOKEN_ERRORS:
        return _TOKEN_ERRORS[error]
    return f"Google refused the Drive credentials ({exc.args[0] if exc.args else 'no details'})."


def _tokens_from(body: dict[str, Any]) -> OAuthTokens:
    access_token, refresh_token = body.get("access_token"), body.get("refresh_token")
    if not _nonempty_str(access_token):
        raise DriveAuthError("Google's reply had no access token. Please try connecting Google Drive again.")
    if not _nonempty_str(refresh_token):
        # Happens when consent was not prompted again; authorization_url always asks for it.
        raise DriveAuthError("Google did not grant offline access. Please connect Google Drive again.")
    scopes = tuple(str(body.get("scope", "")).split())
    if not _READING_SCOPES.intersection(scopes):
        raise DriveAuthError(
            "Permission to read Google Drive files was not granted. Connect again and allow Drive access."
        )
    expires_in = int(body.get("expires_in", 3600))
    return OAuthTokens(refresh_token, access_token, datetime.now(UTC) + timedelta(seconds=expires_in), scopes)


def _token_error_message(body: dict[str, Any], status: int) -> str:
    error = str(body.get("error", ""))
    if error in _TOKEN_ERRORS:
        return _TOKEN_ERRORS[error]
    if status >= 500:
        return "Google's sign-in service is unavailable right now. Please try again in a few minutes."
    detail = body.get("error_description") or error or f"HTTP {status}"
    return f"Google refused to connect Drive ({detail})."


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _nonempty_str(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _naive_utc(moment: datetime) -> datetime:
    # google-auth compares expiry with a naive UTC "now".
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
