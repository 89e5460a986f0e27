"""The Postgres job queue (Procrastinate), with enqueueing inside the request's transaction."""

from __future__ import annotations

import json
from typing import Any

import procrastinate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Tasks register on this blueprint at import time; the app that runs them is built per process.
tasks = procrastinate.Blueprint()

_DEFER_SQL = text("""
    SELECT procrastinate_defer_jobs_v1(ARRAY[
        ROW(:queue, :task_name, :priority, :lock, :queueing_lock, CAST(:args AS jsonb), NULL)
    ]::procrastinate_job_to_defer_v1[])
""")


async def enqueue(session: AsyncSession, task_name: str, *, queue: str = "default", priority: int = 0,
                  lock: str | None = None, queueing_lock: str | None = None, **args: Any) -> int:
    """Insert a job in the caller's transaction: it runs only if the transaction commits."""
    job_ids = await session.scalar(_DEFER_SQL, {
        "queue": queue, "task_name": task_name, "priority": priority, "lock": lock,
        "queueing_lock": queueing_lock, "args": json.dumps(args, default=str)})
    return job_ids[0]


def build_queue_app(conninfo: str) -> procrastinate.App:
    from parley.jobs import registry  # noqa: F401  (imports every task module)

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo))
    app.add_tasks_from(tasks, namespace="parley")
    return app
