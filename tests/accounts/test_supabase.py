"""Supabase Auth tokens: HS256 with the project secret, and RS256 through a local JWKS server."""

from __future__ import annotations

import uuid

import pytest
from pydantic import SecretStr

from parley.app import build_runtime
from tests.factories import signup
from tests.fakes.base import serve_app
from tests.fakes.supabase_auth import FakeSupabaseAuth, sign_hs256

SECRET = "super-secret-jwt-token-with-at-least-32-characters"


@pytest.fixture
def supabase_fake():
    fake = FakeSupabaseAuth()
    with serve_app(fake.app) as base_url:
        yield fake, base_url


@pytest.fixture
def with_supabase(runtime, supabase_fake):
    fake, base_url = supabase_fake
    settings = runtime.settings.model_copy(update={"supabase_jwt_secret": SecretStr(SECRET),
                                                   "supabase_url": base_url})
    runtime.supabase = build_runtime(settings, db=runtime.db).supabase
    return fake, base_url


async def test_hs256_token_creates_the_user_on_first_sight(client, with_supabase):
    token = sign_hs256(SECRET, sub=str(uuid.uuid4()), email="New.Person@Example.com")
    first = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert first.status_code == 200, first.text
    assert first.json()["user"]["email"] == "new.person@example.com"
    second = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert second.json()["user"]["id"] == first.json()["user"]["id"]


async def test_jwks_token_is_matched_to_an_existing_account_by_email(client, with_supabase):
    fake, base_url = with_supabase
    account = await signup(client)
    token = fake.sign(base_url, sub=str(uuid.uuid4()), email=account.email)
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.json()["user"]["id"] == account.user_id
    assert [o["id"] for o in response.json()["organizations"]] == [account.org_id]
    assert fake.jwks_requests == 1


@pytest.mark.parametrize("problem", ["expired", "wrong_secret", "wrong_audience", "unknown_key"])
async def test_bad_supabase_tokens_are_refused(client, with_supabase, problem):
    import jwt as pyjwt

    fake, base_url = with_supabase
    sub, email = str(uuid.uuid4()), "someone@example.com"
    token = {
        "expired": lambda: sign_hs256(SECRET, sub=sub, email=email, ttl_s=-60),
        "wrong_secret": lambda: sign_hs256("x" * 40, sub=sub, email=email),
        "wrong_audience": lambda: fake.sign(base_url, sub=sub, email=email, aud="anon"),
        "unknown_key": lambda: pyjwt.encode({"sub": sub, "email": email, "aud": "authenticated", "exp": 9999999999},
                                            FakeSupabaseAuth().private_key, algorithm="RS256",
                                            headers={"kid": "other"}),
    }[problem]()
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "invalid_token"
