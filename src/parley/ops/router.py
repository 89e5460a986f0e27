"""Liveness, readiness and metrics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text

from parley.db.migrate import head_revision
from parley.kit.observability import render_metrics
from parley.runtime import Runtime, get_runtime

router = APIRouter(tags=["operations"])
_HEAD = head_revision()


@router.get("/healthz", operation_id="healthz")
async def healthz() -> dict[str, str]:
    """The process is alive and serving."""
    return {"status": "ok"}


@router.get("/readyz", operation_id="readyz")
async def readyz(runtime: Annotated[Runtime, Depends(get_runtime)]) -> Response:
    """The database answers and its schema is at the latest migration."""
    try:
        async with runtime.db.session() as session:
            current = await session.scalar(text("SELECT version_num FROM alembic_version"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        return JSONResponse({"status": "unavailable", "database": "unreachable", "detail": type(exc).__name__},
                              status_code=503)
    if current != _HEAD:
        return JSONResponse({"status": "unavailable", "database": "ok", "migrations": "pending",
                               "current": current, "head": _HEAD}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok", "migrations": current})


@router.get("/metrics", operation_id="metrics", include_in_schema=False)
async def metrics() -> Response:
    body, content_type = render_metrics()
    return Response(body, media_type=content_type)
