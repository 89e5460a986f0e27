"""GET /api/v1/auth/config tells the dashboard whether to sign in through Supabase; bad settings are refused."""

from __future__ import annotations

import base64
import json

import pytest
from pydantic import SecretStr, ValidationError

from parley.config import Settings

JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters"
ANON_KEY = "sb_publishable_dashboard-key"


def fake_jwt(role: str) -> str:
    """A legacy Supabase API key has this shape: a JWT whose `role` says what it may do."""
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'iss': 'supabase', 'role': role})}.c2lnbmF0dXJl"


def configure(runtime, **update) -> None:
    runtime.settings = runtime.settings.model_copy(update=update)


async def test_built_in_sign_in_when_supabase_is_not_configured(client):
    response = await client.get("/api/v1/auth/config")
    assert response.status_code == 200
    assert response.json() == {"provider": "parley", "supabase": None}
    assert response.headers["cache-control"] == "no-cache"


async def test_supabase_url_and_public_key_are_given_but_never_the_jwt_secret(client, runtime):
    configure(runtime, supabase_url="https://abcd.supabase.co", supabase_anon_key=ANON_KEY,
              supabase_jwt_secret=SecretStr(JWT_SECRET))
    response = await client.get("/api/v1/auth/config")
    assert response.status_code == 200
    assert response.json() == {"provider": "supabase",
                               "supabase": {"url": "https://abcd.supabase.co", "anon_key": ANON_KEY}}
    assert JWT_SECRET not in response.text


@pytest.mark.parametrize("partial", [
    {"supabase_jwt_secret": SecretStr(JWT_SECRET)},  # tokens accepted from another front end
    {"supabase_url": "https://abcd.supabase.co"},  # no key: a browser could not call Supabase
    {"supabase_anon_key": ANON_KEY},  # no URL
])
async def test_partial_supabase_settings_keep_the_built_in_sign_in(client, runtime, partial):
    configure(runtime, **partial)
    assert (await client.get("/api/v1/auth/config")).json() == {"provider": "parley", "supabase": None}


async def test_the_endpoint_is_read_only_and_public(client):
    assert (await client.post("/api/v1/auth/config", json={"provider": "supabase"})).status_code == 405
    response = await client.get("/api/v1/auth/config?provider=supabase",
                                headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 200
    assert response.json()["provider"] == "parley"


def test_settings_read_the_usual_supabase_variable_names(monkeypatch):
    monkeypatch.setenv("SUPABASE_URL", "https://abcd.supabase.co/")
    monkeypatch.setenv("SUPABASE_ANON_KEY", f"  {fake_jwt('anon')} ")
    settings = Settings(_env_file=None)
    assert settings.supabase_url == "https://abcd.supabase.co"
    assert settings.supabase_anon_key == fake_jwt("anon")
    monkeypatch.delenv("SUPABASE_ANON_KEY")
    monkeypatch.setenv("PARLEY_SUPABASE_ANON_KEY", ANON_KEY)
    assert Settings(_env_file=None).supabase_anon_key == ANON_KEY


@pytest.mark.parametrize("key", [fake_jwt("service_role"), "sb_secret_abcdefghijklmnop"])
def test_a_secret_key_is_refused_as_the_public_key_without_echoing_it(key):
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, supabase_anon_key=key)
    assert "service-role" in str(caught.value)
    assert key not in str(caught.value)


@pytest.mark.parametrize("url", ["abcd.supabase.co", "ftp://abcd.supabase.co", "https://", "javascript:alert(1)",
                                 "https://abcd.supabase.co/?next=x"])
def test_a_malformed_supabase_url_is_refused(url):
    with pytest.raises(ValidationError, match="SUPABASE_URL must be"):
        Settings(_env_file=None, supabase_url=url)


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_supabase_settings_mean_not_configured(blank):
    settings = Settings(_env_file=None, supabase_url=blank, supabase_anon_key=blank)
    assert settings.supabase_url is None and settings.supabase_anon_key is None
