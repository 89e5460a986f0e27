from __future__ import annotations

import time

from tests.factories import PASSWORD, signup


async def test_signup_returns_user_org_and_tokens(client):
    response = await client.post("/api/v1/auth/signup",
                                 json={"email": "Ada@Example.com", "password": PASSWORD, "name": "Ada"})
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == "ada@example.com"
    assert body["organization"]["role"] == "owner"
    assert body["token_type"] == "bearer" and body["access_token"] and body["refresh_token"].startswith("prt_")


async def test_me_lists_the_callers_organizations(client):
    account = await signup(client)
    response = await client.get("/api/v1/me", headers=account.headers)
    assert response.status_code == 200
    assert [o["id"] for o in response.json()["organizations"]] == [account.org_id]


async def test_login_and_refresh_rotation(client):
    account = await signup(client)
    login = await client.post("/api/v1/auth/login", json={"email": account.email.upper(), "password": PASSWORD})
    assert login.status_code == 200
    refresh_token = login.json()["refresh_token"]
    rotated = await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh_token})
    assert rotated.status_code == 200
    new_refresh = rotated.json()["refresh_token"]
    assert new_refresh != refresh_token
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {rotated.json()['access_token']}"})
    assert me.status_code == 200


async def test_reused_refresh_token_revokes_the_whole_login(client):
    account = await signup(client)
    first = await client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert first.status_code == 200
    replay = await client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "invalid_refresh_token"
    # The token issued by the legitimate rotation is now dead too.
    stolen_family = await client.post("/api/v1/auth/refresh", json={"refresh_token": first.json()["refresh_token"]})
    assert stolen_family.status_code == 401


async def test_logout_revokes_refresh_token(client):
    account = await signup(client)
    assert (await client.post("/api/v1/auth/logout", json={"refresh_token": account.refresh_token})).status_code == 204
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert again.status_code == 401


async def test_change_password(client):
    account = await signup(client)
    new_password = "an entirely new passphrase"
    changed = await client.post("/api/v1/auth/password", headers=account.headers,
                                json={"current_password": PASSWORD, "new_password": new_password})
    assert changed.status_code == 200
    old = await client.post("/api/v1/auth/login", json={"email": account.email, "password": PASSWORD})
    assert old.status_code == 401
    new = await client.post("/api/v1/auth/login", json={"email": account.email, "password": new_password})
    assert new.status_code == 200
    # Sessions from before the change are gone.
    stale = await client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert stale.status_code == 401


async def test_login_same_error_and_similar_time_for_unknown_user_and_wrong_password(client):
    account = await signup(client)
    timings = {}
    bodies = {}
    for label, email in (("unknown", "nobody-here@example.com"), ("wrong", account.email)):
        started = time.perf_counter()
        for _ in range(3):
            response = await client.post("/api/v1/auth/login", json={"email": email, "password": "wrong password!!"})
        timings[label] = (time.perf_counter() - started) / 3
        bodies[label] = (response.status_code, response.json())
    assert bodies["unknown"] == bodies["wrong"]
    assert bodies["unknown"][0] == 401
    # Both run a full argon2 verification: neither is more than twice the other.
    assert max(timings.values()) < 2 * min(timings.values())
