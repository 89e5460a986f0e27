"""Errors of the Drive connector, each with a message that can be shown to the user as is."""

from __future__ import annotations


class DriveAuthError(Exception):
    """Connecting Drive failed: a bad sign-in code, a refused client, an unusable service-account key."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class DriveError(Exception):
    """A Drive API call failed.

    `retryable` says whether the same call may succeed later (rate limits, Google outages,
    network trouble). `code` is a stable short name for the cause, for callers that react
    to it (e.g. "auth_revoked" → ask the user to reconnect; "invalid_page_token" → full re-sync).
    """

    code_default = "drive_error"

    def __init__(self, message: str, retryable: bool = False, *, code: str | None = None) -> None:
        self.message = message
        self.retryable = retryable
        self.code = code or self.code_default
        super().__init__(message)


class UnsupportedDriveFile(DriveError):
    code_default = "unsupported_file"


class DriveFileTooLarge(DriveError):
    code_default = "file_too_large"


class DriveTooManyFiles(DriveError):
    code_default = "too_many_files"
