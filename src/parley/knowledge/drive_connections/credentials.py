"""Google credentials for a stored connection (used by the connection checks and by source syncs)."""

from __future__ import annotations

import json

from google.auth.credentials import Credentials

from parley.config import Settings
from parley.kit.security import SecretBox, TokenError
from parley.knowledge.drive_connections.models import DriveConnection
from parley.knowledge.gdrive import (
    DriveAuthError,
    credentials_from_refresh_token,
    credentials_from_service_account,
)


def oauth_client(settings: Settings) -> tuple[str, str] | None:
    """(client id, client secret), or None when the OAuth client is not configured."""
    if not settings.google_client_id or not settings.google_client_secret:
        return None
    return settings.google_client_id, settings.google_client_secret.get_secret_value()


def connection_credentials(connection: DriveConnection, settings: Settings, box: SecretBox) -> Credentials:
    """Raises DriveAuthError with words that can be shown as is."""
    try:
        secret = box.decrypt(connection.secret_encrypted)
    except TokenError as exc:
        raise DriveAuthError("The stored Google Drive credentials can't be read any more (the server's secret "
                             "key changed). Connect Google Drive again.") from exc
    if connection.kind == "service_account":
        return credentials_from_service_account(json.loads(secret), token_uri=settings.google_token_uri)
    client = oauth_client(settings)
    if client is None:
        raise DriveAuthError("Google sign-in is not configured on this server (PARLEY_GOOGLE_CLIENT_ID and "
                             "PARLEY_GOOGLE_CLIENT_SECRET), so this Drive connection can't be used.")
    return credentials_from_refresh_token(secret, client_id=client[0], client_secret=client[1],
                                          token_uri=settings.google_token_uri)
