"""Every endpoint answers bad input with a 4xx and the JSON error body; never a 500."""

from __future__ import annotations

import uuid

import jwt
import pytest

from tests.factories import PASSWORD, signup


def assert_error(response, status: int, code: str | None = None) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"] and error["code"]
    if code:
        assert error["code"] == code


@pytest.mark.parametrize("body", [
    {},
    {"email": "not-an-email", "password": PASSWORD},
    {"email": "a@example.com"},
    {"email": 42, "password": PASSWORD},
    {"email": "a@example.com", "password": ["list"]},
    {"email": "a@example.com", "password": "x" * 300},
    {"email": "a@example.com", "password": PASSWORD, "name": "n" * 500},
    {"email": ("a" * 320) + "@example.com", "password": PASSWORD},
])
async def test_signup_validation(client, body):
    assert_error(await client.post("/api/v1/auth/signup", json=body), 422, "validation_error")


async def test_signup_rejects_non_json(client):
    response = await client.post("/api/v1/auth/signup", content=b"\xff\xfe garbage",
                                 headers={"content-type": "application/json"})
    assert_error(response, 422)


@pytest.mark.parametrize("password", ["short", "password123", "aaaaaaaaaaaaaaa", "1234567890"])
async def test_weak_passwords(client, password):
    response = await client.post("/api/v1/auth/signup", json={"email": "w@example.com", "password": password})
    assert_error(response, 422, "weak_password")


async def test_duplicate_email(client):
    account = await signup(client)
    response = await client.post("/api/v1/auth/signup",
                                 json={"email": account.email.upper(), "password": PASSWORD})
    assert_error(response, 409, "email_taken")


@pytest.mark.parametrize("header", [None, "Bearer", "Basic abc", "Bearer not.a.jwt", "Bearer prl_nope"])
async def test_missing_or_garbage_tokens(client, header):
    headers = {"Authorization": header} if header else {}
    assert_error(await client.get("/api/v1/me", headers=headers), 401)


async def test_expired_and_forged_tokens(client, runtime):
    account = await signup(client)
    expired = runtime.jwt.encode(account.user_id, ttl_s=-10)
    assert_error(await client.get("/api/v1/me", headers={"Authorization": f"Bearer {expired}"}), 401, "invalid_token")
    forged = jwt.encode({"sub": account.user_id, "iss": "parley", "exp": 9999999999, "typ": "access"},
                        "guessed-secret-that-is-long-enough-32b", algorithm="HS256")
    assert_error(await client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}), 401, "invalid_token")
    none_alg = jwt.encode({"sub": account.user_id, "iss": "parley", "exp": 9999999999, "typ": "access"},
                          None, algorithm="none")
    assert_error(await client.get("/api/v1/me", headers={"Authorization": f"Bearer {none_alg}"}), 401)
    refresh_as_access = runtime.jwt.encode(account.user_id, ttl_s=60, token_type="refresh")
    assert_error(await client.get("/api/v1/me", headers={"Authorization": f"Bearer {refresh_as_access}"}), 401)


async def test_token_for_deleted_or_unknown_user(client, runtime):
    ghost = runtime.jwt.encode(str(uuid.uuid4()), ttl_s=60)
    assert_error(await client.get("/api/v1/me", headers={"Authorization": f"Bearer {ghost}"}), 401)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("get", "/api/v1/orgs/not-a-uuid", None),
    ("get", "/api/v1/orgs/{unknown}", None),
    ("post", "/api/v1/orgs", {"name": ""}),
    ("post", "/api/v1/orgs", {"name": "x" * 201}),
    ("post", "/api/v1/orgs/{org}/api-keys", {"name": "k", "role": "superuser"}),
    ("post", "/api/v1/orgs/{org}/api-keys", {"name": ""}),
    ("post", "/api/v1/orgs/{org}/invitations", {"email": "nope"}),
    ("patch", "/api/v1/orgs/{org}/members/{unknown}", {"role": "member"}),
    ("patch", "/api/v1/orgs/{org}/members/{user}", {"role": "emperor"}),
    ("delete", "/api/v1/orgs/{org}/members/{unknown}", None),
    ("delete", "/api/v1/orgs/{org}/api-keys/{unknown}", None),
    ("delete", "/api/v1/orgs/{org}/invitations/{unknown}", None),
    ("get", "/api/v1/orgs/{org}/audit-log?limit=0", None),
    ("get", "/api/v1/orgs/{org}/audit-log?limit=100000", None),
    ("get", "/api/v1/orgs/{org}/audit-log?before=yesterday", None),
    ("put", "/api/v1/orgs/{org}/provider-keys/anthropic", {"api_key": "sk_0123456789"}),
    ("put", "/api/v1/orgs/{org}/provider-keys/groq", {"api_key": "short"}),
    ("put", "/api/v1/orgs/{org}/provider-keys/groq", {"api_key": "gsk_" + "x" * 600}),
    ("put", "/api/v1/orgs/{org}/provider-keys/groq", {"api_key": "gsk_with a space"}),
    ("put", "/api/v1/orgs/{org}/provider-keys/groq", {"api_key": 1234567890}),
    ("put", "/api/v1/orgs/{org}/provider-keys/groq", None),
    ("delete", "/api/v1/orgs/{org}/provider-keys/groq", None),
    ("post", "/api/v1/invitations/{unknown}/accept", None),
    ("post", "/api/v1/auth/refresh", {"refresh_token": "prt_" + "x" * 40}),
    ("post", "/api/v1/auth/refresh", {"refresh_token": 12}),
    ("post", "/api/v1/auth/password", {"current_password": "wrong-password", "new_password": "long enough pass"}),
    ("post", "/api/v1/auth/password", {"current_password": PASSWORD, "new_password": "short"}),
])
async def test_org_endpoints_bad_input(client, method, path, body):
    account = await signup(client)
    path = path.format(org=account.org_id, user=account.user_id, unknown=uuid.uuid4())
    response = await client.request(method, path, headers=account.headers, json=body)
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()["error"]) >= {"code", "message"}


async def test_unknown_route_and_method(client):
    assert_error(await client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_error(await client.put("/api/v1/me"), 405, "method_not_allowed")
