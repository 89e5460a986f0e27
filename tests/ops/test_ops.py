from __future__ import annotations

import json
import logging

from parley.kit.logging import JsonFormatter


async def test_healthz_and_readyz(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["migrations"]


async def test_readyz_reports_pending_migrations(client, session):
    from sqlalchemy import text

    await session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    await session.flush()
    ready = await client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["migrations"] == "pending"


async def test_every_response_carries_a_request_id(client):
    response = await client.get("/healthz")
    assert len(response.headers["x-request-id"]) == 32
    echoed = await client.get("/healthz", headers={"X-Request-ID": "abcdef123456"})
    assert echoed.headers["x-request-id"] == "abcdef123456"
    # Garbage ids are replaced, not echoed into logs.
    hostile = await client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert hostile.headers["x-request-id"] != "bad id\nwith newline"
    error = await client.get("/api/v1/me")
    assert error.headers["x-request-id"]


async def test_metrics_are_exposed(client):
    await client.get("/healthz")
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert "parley_http_requests_total" in metrics.text


async def test_openapi_has_stable_operation_ids(client):
    spec = (await client.get("/openapi.json")).json()
    operation_ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"signup", "login", "getMe", "createApiKey", "revokeApiKey", "createInvitation", "acceptInvitation",
            "listAuditLog"} <= operation_ids
    assert (await client.get("/docs")).status_code == 200


def test_json_log_lines_carry_the_request_id():
    from parley.kit.logging import request_id_var

    token = request_id_var.set("req-1234abcd")
    try:
        record = logging.LogRecord("parley.test", logging.INFO, __file__, 1, "hello %s", ("world",), None)
        record.duration_ms = 1.5
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id_var.reset(token)
    assert line["message"] == "hello world" and line["request_id"] == "req-1234abcd"
    assert line["duration_ms"] == 1.5 and line["level"] == "info"
