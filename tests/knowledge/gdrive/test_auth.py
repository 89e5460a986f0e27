"""OAuth code flow, token refresh and service accounts, through google-auth against the fake."""

from __future__ import annotations

import hashlib
from base64 import urlsafe_b64encode
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from parley.knowledge.gdrive import (
    DriveAuthError,
    DriveClient,
    DriveError,
    authorization_url,
    credentials_from_refresh_token,
    credentials_from_service_account,
    exchange_code,
    make_pkce_pair,
    validate_service_account_info,
    verify_credentials,
)
from tests.fakes.base import free_port
from tests.fakes.gdrive import DOC, FakeDrive

from .conftest import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, connect_user


def exchange_options(drive_url: str) -> dict[str, str]:
    return {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": REDIRECT_URI,
        "token_uri": f"{drive_url}/token",
    }


def token_requests(drive: FakeDrive) -> int:
    return len(drive.oauth.token_grants)


def test_authorization_url_asks_for_offline_read_only_access() -> None:
    verifier, challenge = make_pkce_pair()
    url = authorization_url(CLIENT_ID, REDIRECT_URI, "state-123", code_challenge=challenge)
    parts = urlsplit(url)
    params = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://accounts.google.com/o/oauth2/v2/auth"
    assert params == {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "scope": "https://www.googleapis.com/auth/drive.readonly",
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
        "state": "state-123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    assert challenge == urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


async def test_exchange_code_returns_tokens_and_a_code_works_once(drive: FakeDrive, drive_url: str) -> None:
    code = drive.oauth.issue_code(CLIENT_ID, REDIRECT_URI)
    options = exchange_options(drive_url)
    tokens = await exchange_code(code, **options)
    assert tokens.refresh_token.startswith("1//") and tokens.access_token.startswith("ya29.")
    assert tokens.scopes == ("https://www.googleapis.com/auth/drive.readonly",)
    assert 3500 < (tokens.expiry - datetime.now(UTC)).total_seconds() <= 3600

    with pytest.raises(DriveAuthError, match="invalid, expired or already used"):
        await exchange_code(code, **options)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"client_secret": "wrong"}, "did not accept the OAuth client id or secret"),
        ({"redirect_uri": "https://elsewhere.example/cb"}, "redirect URI does not match"),
    ],
)
async def test_exchange_code_errors_in_plain_words(drive: FakeDrive, drive_url: str, change, message) -> None:
    options = exchange_options(drive_url) | change
    with pytest.raises(DriveAuthError, match=message):
        await exchange_code(drive.oauth.issue_code(CLIENT_ID, REDIRECT_URI), **options)


async def test_exchange_code_refuses_a_grant_without_drive_access(drive: FakeDrive, drive_url: str) -> None:
    code = drive.oauth.issue_code(CLIENT_ID, REDIRECT_URI, scopes={"openid", "email"})
    with pytest.raises(DriveAuthError, match="Permission to read Google Drive files was not granted"):
        await exchange_code(code, **exchange_options(drive_url))


async def test_exchange_code_when_google_is_unreachable() -> None:
    with pytest.raises(DriveAuthError, match="Could not reach Google"):
        await exchange_code(
            "4/code",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            redirect_uri=REDIRECT_URI,
            token_uri=f"http://127.0.0.1:{free_port()}/token",
        )


async def test_refresh_token_credentials_refresh_when_drive_says_401(
    drive: FakeDrive, drive_url: str
) -> None:
    credentials = await connect_user(drive, drive_url)
    await verify_credentials(credentials)
    assert credentials.valid and credentials.token in drive.oauth.access_tokens

    doc = drive.add("Notes", DOC, "hello")
    client = DriveClient(credentials, api_endpoint=drive_url, num_retries=0)
    drive.oauth.expire_access_tokens()  # Drive now answers 401 to the cached token
    before = token_requests(drive)
    assert (await client.get_file(doc)).name == "Notes"
    assert token_requests(drive) == before + 1 and drive.oauth.token_grants[-1] == "refresh_token"


async def test_stored_access_token_is_reused_until_it_expires(drive: FakeDrive, drive_url: str) -> None:
    tokens = await exchange_code(
        drive.oauth.issue_code(CLIENT_ID, REDIRECT_URI), **exchange_options(drive_url)
    )
    credentials = credentials_from_refresh_token(
        tokens.refresh_token,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        token_uri=f"{drive_url}/token",
        access_token=tokens.access_token,
        expiry=tokens.expiry,
    )
    before = token_requests(drive)
    await DriveClient(credentials, api_endpoint=drive_url).get_file(drive.add("A", DOC, "a"))
    assert token_requests(drive) == before


async def test_revoked_refresh_token(drive: FakeDrive, drive_url: str) -> None:
    credentials = await connect_user(drive, drive_url)
    drive.oauth.revoke_refresh_token(credentials.refresh_token)
    with pytest.raises(DriveAuthError, match="revoked or has expired"):
        await verify_credentials(credentials)
    with pytest.raises(DriveError) as caught:
        await DriveClient(credentials, api_endpoint=drive_url).get_file("any")
    assert caught.value.code == "auth_revoked" and not caught.value.retryable


async def test_service_account_gets_a_token_with_a_signed_jwt(drive: FakeDrive, drive_url: str) -> None:
    info = drive.oauth.add_service_account()
    credentials = credentials_from_service_account(
        info, token_uri=f"{drive_url}/token", subject="owner@school.example"
    )
    doc = drive.add("Policy", DOC, "text")
    assert (await DriveClient(credentials, api_endpoint=drive_url).get_file(doc)).name == "Policy"
    assert drive.oauth.token_grants == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    grant = drive.oauth.access_tokens[credentials.token]
    assert grant.client == info["client_email"] and grant.subject == "owner@school.example"
    assert grant.scopes == {"https://www.googleapis.com/auth/drive.readonly"}


async def test_service_account_token_uri_comes_from_the_override(drive: FakeDrive, drive_url: str) -> None:
    info = drive.oauth.add_service_account()  # its own token_uri points at a closed port
    with pytest.raises(DriveAuthError, match="Could not reach Google"):
        await verify_credentials(credentials_from_service_account(info))
    await verify_credentials(credentials_from_service_account(info, token_uri=f"{drive_url}/token"))


async def test_service_account_key_that_google_does_not_know(drive: FakeDrive, drive_url: str) -> None:
    info = drive.oauth.add_service_account("sync@a.iam.gserviceaccount.com")
    other = drive.oauth.add_service_account("sync@b.iam.gserviceaccount.com")
    forged = info | {"private_key": other["private_key"]}
    with pytest.raises(DriveAuthError, match="rejected the service-account key"):
        await verify_credentials(credentials_from_service_account(forged, token_uri=f"{drive_url}/token"))


@pytest.mark.parametrize(
    ("info", "message"),
    [
        (["not", "a", "dict"], "must be a JSON object"),
        ({"type": "authorized_user", "client_id": "x"}, "user credentials file, not a service-account key"),
        ({"client_email": "a@b.c"}, 'its "type" is None'),
        ({"type": "service_account", "client_email": "a@b.c"}, "missing private_key"),
        ({"type": "service_account", "private_key": ""}, "missing client_email and private_key"),
        ({"type": "service_account", "client_email": "nobody", "private_key": "x"}, "not an email"),
        (
            {
                "type": "service_account",
                "client_email": "a@b.c",
                "private_key": "-----BEGIN PRIVATE KEY-----\nAAA",
            },
            "not a readable PEM private key",
        ),
        (
            {"type": "service_account", "client_email": "a@b.c", "private_key": "k", "token_uri": 5},
            "token_uri must be a string",
        ),
    ],
)
def test_service_account_json_is_checked_with_readable_errors(info, message) -> None:
    with pytest.raises(DriveAuthError, match=message):
        validate_service_account_info(info)


def test_a_valid_service_account_key_passes(drive: FakeDrive) -> None:
    info = drive.oauth.add_service_account()
    assert validate_service_account_info(info) == info
