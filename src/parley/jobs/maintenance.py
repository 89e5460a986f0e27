"""Queue housekeeping: jobs whose worker died (e.g. SIGKILL) are put back in the queue."""

from __future__ import annotations

import logging

from procrastinate import JobContext

from parley.jobs.queue import tasks

log = logging.getLogger("parley.jobs")


@tasks.periodic(cron="* * * * *", periodic_id="retry-stalled")
@tasks.task(name="retry_stalled_jobs", pass_context=True, queueing_lock="retry_stalled_jobs")
async def retry_stalled_jobs(context: JobContext, timestamp: int) -> None:
    manager = context.app.job_manager
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=30):
        log.warning("retrying a job whose worker stopped responding", extra={"job_id": job.id, "task": job.task_name})
        await manager.retry_job(job)
