from __future__ import annotations

import uuid

from parley.kit.ratelimit import RateLimiter
from tests.factories import signup


async def test_auth_endpoints_are_limited_per_ip(client, runtime):
    runtime.settings.rate_limit_auth = "3/minute"
    for _ in range(3):
        response = await client.post("/api/v1/auth/login", json={"email": "a@example.com", "password": "nope!"})
        assert response.status_code == 401
    limited = await client.post("/api/v1/auth/login", json={"email": "a@example.com", "password": "nope!"})
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"]["code"] == "rate_limited"


async def test_api_is_limited_per_user(client, runtime):
    account = await signup(client)
    runtime.settings.rate_limit_api = "2/minute"
    assert (await client.get("/api/v1/me", headers=account.headers)).status_code == 200
    assert (await client.get("/api/v1/me", headers=account.headers)).status_code == 200
    limited = await client.get("/api/v1/me", headers=account.headers)
    assert limited.status_code == 429 and "Retry-After" in limited.headers


async def test_counters_are_shared_through_postgres(engine_db):
    from parley.kit.ratelimit import PostgresRateLimitStore

    namespace = uuid.uuid4().hex
    # Two limiters with separate stores stand in for two processes: they share one database.
    first = RateLimiter(PostgresRateLimitStore(engine_db.engine), namespace=namespace)
    second = RateLimiter(PostgresRateLimitStore(engine_db.engine), namespace=namespace)
    await first.check("t", "k", "2/minute")
    await second.check("t", "k", "2/minute")
    try:
        await first.check("t", "k", "2/minute")
    except Exception as exc:  # noqa: BLE001
        assert exc.status == 429
    else:
        raise AssertionError("the third hit should have been limited")


async def test_large_limits_are_batched_but_still_shared(engine_db):
    from parley.kit.ratelimit import PostgresRateLimitStore

    namespace = uuid.uuid4().hex
    first = RateLimiter(PostgresRateLimitStore(engine_db.engine), namespace=namespace)
    second = RateLimiter(PostgresRateLimitStore(engine_db.engine), namespace=namespace)
    for _ in range(150):
        await first.check("t", "k", "200/hour")
    await first.store.close()  # flushed: the other process now sees those 150 hits
    await second.check("t", "k", "200/hour")
    await second.store.close()
    for _ in range(49):
        await second.check("t", "k", "200/hour")
    try:
        await second.check("t", "k", "200/hour")
    except Exception as exc:  # noqa: BLE001
        assert exc.status == 429
    else:
        raise AssertionError("hit 201 should have been limited")
