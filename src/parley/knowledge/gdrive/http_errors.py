"""Turn what googleapiclient, google-auth and httplib2 raise into DriveError in plain words."""

from __future__ import annotations

import json

import httplib2
from google.auth import exceptions as google_exceptions
from googleapiclient.errors import HttpError

from .auth import refresh_error_message
from .errors import DriveError, DriveFileTooLarge

_RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "sharingRateLimitExceeded"})
_NO_PERMISSION_REASONS = frozenset(
    {"insufficientPermissions", "insufficientFilePermissions", "forbidden", "appNotAuthorizedToFile"}
)
_NOT_DOWNLOADABLE_REASONS = frozenset(
    {"cannotDownloadAbusiveFile", "fileNotDownloadable", "fileNotExportable"}
)
_API_DISABLED_REASONS = frozenset({"accessNotConfigured", "SERVICE_DISABLED"})
_TRY_LATER = "Parley will try again shortly."


def drive_error_from(exc: Exception) -> DriveError | None:
    """The DriveError for a failed call, or None for exceptions that are bugs rather than Drive trouble."""
    if isinstance(exc, HttpError):
        return _from_http_error(exc)
    if isinstance(exc, google_exceptions.RefreshError):
        if exc.retryable:  # the token endpoint itself failed (5xx), google-auth already retried
            return DriveError(
                f"Google's sign-in service is unavailable. {_TRY_LATER}", retryable=True, code="unavailable"
            )
        return DriveError(refresh_error_message(exc), code="auth_revoked")
    if isinstance(exc, google_exceptions.TransportError | httplib2.HttpLib2Error | OSError):
        return DriveError(f"Could not reach Google Drive. {_TRY_LATER}", retryable=True, code="unavailable")
    return None


def _from_http_error(exc: HttpError) -> DriveError:
    status = exc.status_code
    reason, message = _reason_and_message(exc)
    if status == 404:
        return DriveError(
            "The Drive file was not found or is not shared with this account.", code="not_found"
        )
    if status == 401:
        return DriveError(
            "Google Drive did not accept the stored authorization. Please connect Google Drive again.",
            code="unauthorized",
        )
    if status == 429 or reason in _RATE_LIMIT_REASONS:
        return DriveError(
            f"Google Drive is limiting how fast Parley can read files. {_TRY_LATER}",
            retryable=True,
            code="rate_limited",
        )
    if status >= 500:
        return DriveError(
            f"Google Drive is temporarily unavailable. {_TRY_LATER}", retryable=True, code="unavailable"
        )
    if reason == "exportSizeLimitExceeded":
        return DriveFileTooLarge("The document is too large for Google to export (Google's limit is 10 MB).")
    if reason in _API_DISABLED_REASONS:
        return DriveError(
            "The Google Drive API is not enabled in this Google Cloud project.", code="api_disabled"
        )
    if reason in _NOT_DOWNLOADABLE_REASONS:
        return DriveError("Google Drive does not allow this file to be downloaded.", code="not_downloadable")
    if status == 403 or reason in _NO_PERMISSION_REASONS:
        return DriveError("This Google account is not allowed to read this Drive file.", code="forbidden")
    return DriveError(
        f"Google Drive rejected the request ({message or f'HTTP {status}'}).", code="bad_request"
    )


def _reason_and_message(exc: HttpError) -> tuple[str, str]:
    """Drive's error JSON: {"error": {"code", "message", "errors": [{"reason", "message", ...}]}}."""
    try:
        error = json.loads(exc.content.decode("utf-8"))["error"]
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return "", ""
    if not isinstance(error, dict):
        return "", str(error)
    details = error.get("errors") or error.get("details") or [{}]
    first = details[0] if isinstance(details[0], dict) else {}
    return str(first.get("reason") or error.get("status") or ""), str(error.get("message") or "")
