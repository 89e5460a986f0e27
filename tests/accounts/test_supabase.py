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


class GoTrue:
    """Calls the fake the way @supabase/auth-js does (apikey header, API version 2024-01-01)."""

    def __init__(self, base_url: str, anon_key: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=f"{base_url}/auth/v1", timeout=5,
                                 headers={"apikey": anon_key, "X-Supabase-Api-Version": "2024-01-01"})

    def post(self, path: str, body: dict, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.post(path, json=body, headers=headers)


@pytest.mark.parametrize("signing", ["hs256", "jwks"])
async def test_gotrue_password_flows_issue_tokens_the_api_accepts(client, runtime, signing):
    fake = FakeSupabaseAuth(jwt_secret=SECRET if signing == "hs256" else None)
    with serve_app(fake.app) as base_url:
        settings = runtime.settings.model_copy(update={
            "supabase_jwt_secret": SecretStr(SECRET) if signing == "hs256" else None, "supabase_url": base_url})
        runtime.supabase = build_runtime(settings, db=runtime.db).supabase
        gotrue = GoTrue(base_url, fake.anon_key)
        signed_up = gotrue.post("/signup", {"email": "Grace@Example.com", "password": "a long password",
                                            "data": {"full_name": "Grace Hopper"}})
        assert signed_up.status_code == 200, signed_up.text
        session = signed_up.json()
        assert {"access_token", "refresh_token", "expires_in", "expires_at", "user"} <= session.keys()
        me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {session['access_token']}"})
        assert me.status_code == 200, me.text
        assert me.json()["user"]["name"] == "Grace Hopper"

        signed_in = gotrue.post("/token?grant_type=password", {"email": "grace@example.com",
                                                                "password": "a long password"})
        refreshed = gotrue.post("/token?grant_type=refresh_token", {"refresh_token": signed_in.json()["refresh_token"]})
        assert refreshed.status_code == 200, refreshed.text
        again = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"})
        assert again.json()["user"]["id"] == me.json()["user"]["id"]
        spent = gotrue.post("/token?grant_type=refresh_token", {"refresh_token": signed_in.json()["refresh_token"]})
        assert spent.status_code == 400 and spent.json()["code"] == "refresh_token_not_found"

        logout = gotrue.http.post("/logout?scope=local", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"})
        assert logout.status_code == 204, logout.text  # no body, as auth-js sends it
        after = gotrue.post("/token?grant_type=refresh_token", {"refresh_token": refreshed.json()["refresh_token"]})
        assert after.status_code == 400
        # The other session (from sign-up) is untouched by a local sign-out.
        assert gotrue.post("/token?grant_type=refresh_token",
                           {"refresh_token": session["refresh_token"]}).status_code == 200


def test_gotrue_fake_refuses_what_gotrue_refuses():
    fake = FakeSupabaseAuth()
    with serve_app(fake.app) as base_url:
        gotrue = GoTrue(base_url, fake.anon_key)
        assert gotrue.post("/signup", {"email": "a@example.com", "password": "long enough"}).status_code == 200
        cases = [
            (gotrue.post("/signup", {"email": "a@example.com", "password": "long enough"}), 422, "user_already_exists"),
            (gotrue.post("/signup", {"email": "not-an-email", "password": "long enough"}), 400, "validation_failed"),
            (gotrue.post("/signup", {"email": "b@example.com", "password": "short"}), 422, "weak_password"),
            (gotrue.post("/token?grant_type=password", {"email": "a@example.com", "password": "wrong one"}),
             400, "invalid_credentials"),
            (gotrue.post("/logout", {}, token="not-a-jwt"), 403, "bad_jwt"),
            (GoTrue(base_url, "wrong-key").post("/token?grant_type=password", {}), 401, "no_api_key"),
        ]
        for response, status, code in cases:
            assert (response.status_code, response.json()["code"]) == (status, code), response.text
            assert response.headers["x-supabase-api-version"] == "2024-01-01"
        legacy = gotrue.http.post("/token?grant_type=password", json={"email": "a@example.com", "password": "x"},
                                  headers={"X-Supabase-Api-Version": ""})
        assert legacy.json() == {"code": 400, "error_code": "invalid_credentials", "msg": "Invalid login credentials"}
        preflight = gotrue.http.options("/token", headers={"Origin": "http://127.0.0.1:1234",
                                                           "Access-Control-Request-Method": "POST",
                                                           "Access-Control-Request-Headers": "apikey,content-type"})
        assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"]
