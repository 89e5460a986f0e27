from __future__ import annotations

from sqlalchemy import text

from parley.jobs.queue import enqueue


async def _count_jobs(conn, marker: str) -> int:
    return await conn.scalar(text("SELECT count(*) FROM procrastinate_jobs WHERE args->>'to' = :m"),
                             {"m": marker})


async def test_job_commits_with_the_transaction(engine_db):
    async with engine_db.session() as session:
        await enqueue(session, "parley:send_email", to="commit-1@example.com", subject="s", body="b")
    async with engine_db.engine.connect() as conn:
        assert await _count_jobs(conn, "commit-1@example.com") == 1
        await conn.execute(text("DELETE FROM procrastinate_jobs WHERE args->>'to' = 'commit-1@example.com'"))
        await conn.commit()


async def test_job_rolls_back_with_the_transaction(engine_db):
    try:
        async with engine_db.session() as session:
            await enqueue(session, "parley:send_email", to="rollback-1@example.com", subject="s",
                          body="b")
            raise RuntimeError("the request failed")
    except RuntimeError:
        pass
    async with engine_db.engine.connect() as conn:
        assert await _count_jobs(conn, "rollback-1@example.com") == 0


async def test_worker_runs_a_queued_job(database_url, engine_db):
    from parley.jobs.queue import build_queue_app
    from parley.kit.db import libpq_url

    async with engine_db.session() as session:
        job_id = await enqueue(session, "parley:send_email", to="a@example.com", subject="s", body="b")
    queue = build_queue_app(libpq_url(database_url))
    async with queue.open_async():
        await queue.run_worker_async(wait=False, install_signal_handlers=False)
    async with engine_db.engine.connect() as conn:
        status = await conn.scalar(text("SELECT status FROM procrastinate_jobs WHERE id = :id"), {"id": job_id})
    assert status == "succeeded"
