"""Background jobs of the knowledge base."""

from __future__ import annotations

import uuid

from procrastinate import RetryStrategy
from sqlalchemy.ext.asyncio import AsyncSession

from parley.jobs.queue import enqueue, tasks
from parley.jobs.runtime import job_runtime
from parley.knowledge.ingestion import Ingestor

INGEST_SOURCE = "parley:ingest_source"


@tasks.task(name="ingest_source", queue="ingest", retry=RetryStrategy(max_attempts=3, wait=5))
async def ingest_source(source_id: str) -> None:
    await Ingestor(job_runtime()).run(uuid.UUID(source_id))


async def enqueue_ingestion(session: AsyncSession, source_id: uuid.UUID) -> int:
    # lock: one ingestion of a source at a time; queueing_lock: at most one waiting re-sync.
    return await enqueue(session, INGEST_SOURCE, queue="ingest", source_id=str(source_id),
                         lock=f"source:{source_id}", queueing_lock=f"ingest:{source_id}")
