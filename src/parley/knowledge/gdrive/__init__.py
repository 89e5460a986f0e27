"""Google Drive as a knowledge source: OAuth or service-account access, listing, content, re-sync plans."""

from .auth import (
    DRIVE_SCOPES,
    GOOGLE_AUTH_URI,
    GOOGLE_TOKEN_URI,
    OAuthTokens,
    authorization_url,
    callback_error_message,
    credentials_from_refresh_token,
    credentials_from_service_account,
    exchange_code,
    make_pkce_pair,
    validate_service_account_info,
    verify_credentials,
)
from .client import DEFAULT_MAX_BYTES, DriveClient, DriveListing, FetchedContent
from .errors import DriveAuthError, DriveError, DriveFileTooLarge, DriveTooManyFiles, UnsupportedDriveFile
from .files import DriveChange, DriveFile, content_format, is_supported
from .sync import DriveSelection, SyncPlan, plan_from_changes, plan_sync

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DRIVE_SCOPES",
    "GOOGLE_AUTH_URI",
    "GOOGLE_TOKEN_URI",
    "DriveAuthError",
    "DriveChange",
    "DriveClient",
    "DriveError",
    "DriveFile",
    "DriveFileTooLarge",
    "DriveListing",
    "DriveSelection",
    "DriveTooManyFiles",
    "FetchedContent",
    "OAuthTokens",
    "SyncPlan",
    "UnsupportedDriveFile",
    "authorization_url",
    "callback_error_message",
    "content_format",
    "credentials_from_refresh_token",
    "credentials_from_service_account",
    "exchange_code",
    "is_supported",
    "make_pkce_pair",
    "plan_from_changes",
    "plan_sync",
    "validate_service_account_info",
    "verify_credentials",
]
