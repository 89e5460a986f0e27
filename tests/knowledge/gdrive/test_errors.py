"""Drive API errors become DriveError in plain words, retryable or not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from google.oauth2.credentials import Credentials

from parley.knowledge.gdrive import DriveClient, DriveError, credentials_from_refresh_token
from tests.fakes.base import free_port
from tests.fakes.gdrive import DOC, FakeDrive


@pytest.mark.parametrize(
    ("status", "reason", "code", "retryable", "message"),
    [
        (403, "insufficientFilePermissions", "forbidden", False, "not allowed to read this Drive file"),
        (403, "rateLimitExceeded", "rate_limited", True, "limiting how fast"),
        (403, "userRateLimitExceeded", "rate_limited", True, "limiting how fast"),
        (429, "rateLimitExceeded", "rate_limited", True, "limiting how fast"),
        (500, "backendError", "unavailable", True, "temporarily unavailable"),
        (503, "backendError", "unavailable", True, "temporarily unavailable"),
        (403, "accessNotConfigured", "api_disabled", False, "Drive API is not enabled"),
        (403, "cannotDownloadAbusiveFile", "not_downloadable", False, "does not allow this file"),
        (400, "invalid", "bad_request", False, r"rejected the request \(Scripted failure\)"),
    ],
)
async def test_api_errors_are_mapped(
    drive: FakeDrive, client: DriveClient, status, reason, code, retryable, message
) -> None:
    doc = drive.add("Doc", DOC, "x")
    drive.fail(status, reason)
    with pytest.raises(DriveError, match=message) as caught:
        await client.get_file(doc)
    assert (caught.value.code, caught.value.retryable) == (code, retryable)


async def test_a_missing_file(client: DriveClient) -> None:
    with pytest.raises(DriveError) as caught:
        await client.get_file("1nope")
    assert caught.value.message == "The Drive file was not found or is not shared with this account."
    assert caught.value.code == "not_found" and not caught.value.retryable


async def test_transient_errors_are_retried(
    drive: FakeDrive, user_credentials: Credentials, drive_url: str
) -> None:
    doc = drive.add("Doc", DOC, "x")
    drive.fail(503, "backendError")
    client = DriveClient(user_credentials, api_endpoint=drive_url, num_retries=1)
    assert (await client.get_file(doc)).name == "Doc"
    assert len(drive.requests) == 2


async def test_401_after_a_fresh_token_asks_to_reconnect(drive: FakeDrive, client: DriveClient) -> None:
    drive.fail(401, "authError", "Invalid Credentials", times=10)
    with pytest.raises(DriveError, match="connect Google Drive again") as caught:
        await client.get_file("any")
    assert caught.value.code == "unauthorized"
    assert drive.oauth.token_grants.count("refresh_token") >= 2  # google-auth refreshed before giving up


async def test_unreachable_drive_is_retryable() -> None:
    credentials = credentials_from_refresh_token(
        "1//r",
        client_id="c",
        client_secret="s",
        access_token="ya29.still-valid",
        expiry=datetime.now(UTC) + timedelta(hours=1),
    )
    client = DriveClient(credentials, api_endpoint=f"http://127.0.0.1:{free_port()}", num_retries=0)
    with pytest.raises(DriveError, match="Could not reach Google Drive") as caught:
        await client.get_file("any")
    assert caught.value.code == "unavailable" and caught.value.retryable


async def test_export_and_download_errors_are_mapped_too(drive: FakeDrive, client: DriveClient) -> None:
    file = await client.get_file(drive.add("Doc", DOC, "x"))
    drive.fail(429, "rateLimitExceeded", path="/export")
    with pytest.raises(DriveError) as caught:
        await client.fetch_content(file)
    assert caught.value.code == "rate_limited" and caught.value.retryable
    assert (await client.fetch_content(file)).data == b"x"
