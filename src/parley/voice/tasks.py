"""Background jobs of voice: recordings are deleted once older than their bot's retention period."""

from __future__ import annotations

import logging

from parley.jobs.queue import tasks
from parley.jobs.runtime import job_runtime
from parley.kit.db import utcnow
from parley.runtime import Runtime
from parley.voice.repository import RecordingRepository

log = logging.getLogger("parley.voice")


async def purge_expired_recordings(runtime: Runtime) -> int:
    async with runtime.db.session() as session:
        deleted = await RecordingRepository(session).delete_expired(utcnow())
    if deleted:
        log.info("deleted expired voice recordings", extra={"count": deleted})
    return deleted


@tasks.periodic(cron="23 * * * *", periodic_id="purge-voice-recordings")  # hourly: retention is in days
@tasks.task(name="purge_voice_recordings", queueing_lock="purge_voice_recordings")
async def purge_voice_recordings(timestamp: int) -> None:
    await purge_expired_recordings(job_runtime())
