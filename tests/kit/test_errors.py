"""Errors that come from below the services still answer in the JSON error shape."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy.exc import TimeoutError as PoolTimeout

from parley.kit.errors import install_error_handlers


async def test_an_exhausted_connection_pool_is_a_503_with_retry_after():
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/busy")
    async def busy():
        raise PoolTimeout("QueuePool limit of size 20 overflow 0 reached")

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.get("/busy")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"]["code"] == "busy"
