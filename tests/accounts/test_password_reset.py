from __future__ import annotations

import logging

from tests.factories import PASSWORD, signup

NEW = "a brand new passphrase"


def _reset_url(caplog) -> str:
    return next(r.reset_url for r in caplog.records if getattr(r, "reset_url", None))


async def test_reset_by_email_link(client, caplog):
    account = await signup(client)
    with caplog.at_level(logging.INFO, logger="parley.accounts"):
        response = await client.post("/api/v1/auth/password-reset", json={"email": account.email.upper()})
    assert response.status_code == 202 and "reset_url" not in response.text
    token = _reset_url(caplog).split("token=")[1]
    done = await client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW})
    assert done.status_code == 200 and done.json()["access_token"]
    assert (await client.post("/api/v1/auth/login", json={"email": account.email, "password": NEW})).status_code == 200
    assert (await client.post("/api/v1/auth/login", json={"email": account.email,
                                                           "password": PASSWORD})).status_code == 401
    # Single use, and older sessions are gone.
    again = await client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW + "!"})
    assert again.status_code == 400 and again.json()["error"]["code"] == "invalid_reset_token"
    stale = await client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert stale.status_code == 401


async def test_unknown_email_answers_the_same(client, caplog):
    with caplog.at_level(logging.INFO, logger="parley.accounts"):
        response = await client.post("/api/v1/auth/password-reset", json={"email": "nobody@example.com"})
    assert response.status_code == 202
    assert not [r for r in caplog.records if getattr(r, "reset_url", None)]


async def test_bad_reset_input(client, caplog):
    account = await signup(client)
    assert (await client.post("/api/v1/auth/password-reset", json={"email": "nope"})).status_code == 422
    bogus = await client.post("/api/v1/auth/password-reset/confirm", json={"token": "x" * 40, "new_password": NEW})
    assert bogus.status_code == 400
    with caplog.at_level(logging.INFO, logger="parley.accounts"):
        await client.post("/api/v1/auth/password-reset", json={"email": account.email})
    token = _reset_url(caplog).split("token=")[1]
    weak = await client.post("/api/v1/auth/password-reset/confirm", json={"token": token, "new_password": "short"})
    assert weak.status_code == 422 and weak.json()["error"]["code"] == "weak_password"
