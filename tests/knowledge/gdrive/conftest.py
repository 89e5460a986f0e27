"""A fake Drive served on loopback, and a DriveClient authorized through the real OAuth code flow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from google.oauth2.credentials import Credentials
from starlette.types import ASGIApp, Receive, Scope, Send

from parley.knowledge.gdrive import DriveClient, credentials_from_refresh_token, exchange_code
from tests.fakes.base import serve_app
from tests.fakes.gdrive import FakeDrive

CLIENT_ID = "parley-test.apps.googleusercontent.com"
CLIENT_SECRET = "GOCSPX-test-secret"
REDIRECT_URI = "https://parley.example/api/knowledge/gdrive/callback"
DOCS = Path(__file__).resolve().parents[2] / "fixtures" / "docs"


class CurrentFake:
    """One loopback server for the session, passing each request to the running test's fake
    (starting and stopping uvicorn per test would cost more than the tests themselves)."""

    def __init__(self) -> None:
        self.app: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.app is not None, "no fake Drive for this test"
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def served() -> Iterator[tuple[CurrentFake, str]]:
    current = CurrentFake()
    with serve_app(current) as url:
        yield current, url


@pytest.fixture
def drive(served: tuple[CurrentFake, str]) -> Iterator[FakeDrive]:
    fake = FakeDrive()
    fake.oauth.add_client(CLIENT_ID, CLIENT_SECRET)
    served[0].app = fake.app
    yield fake
    served[0].app = None


@pytest.fixture
def drive_url(drive: FakeDrive, served: tuple[CurrentFake, str]) -> str:
    return served[1]


async def connect_user(drive: FakeDrive, drive_url: str) -> Credentials:
    """What the OAuth callback does: exchange the code, keep the refresh token, build credentials."""
    code = drive.oauth.issue_code(CLIENT_ID, REDIRECT_URI)
    tokens = await exchange_code(
        code,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=REDIRECT_URI,
        token_uri=f"{drive_url}/token",
    )
    return credentials_from_refresh_token(
        tokens.refresh_token, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token_uri=f"{drive_url}/token"
    )


@pytest.fixture
async def user_credentials(drive: FakeDrive, drive_url: str) -> Credentials:
    return await connect_user(drive, drive_url)


@pytest.fixture
def client(user_credentials: Credentials, drive_url: str) -> DriveClient:
    return DriveClient(user_credentials, api_endpoint=drive_url, num_retries=0)
