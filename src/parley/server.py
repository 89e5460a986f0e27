"""Process-level start-up shared by `parley serve` and its worker processes."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from parley.config import Settings
from parley.db import migrate
from parley.db.embedded import EmbeddedPostgres
from parley.kit.logging import configure_logging

log = logging.getLogger("parley.server")


def app_factory() -> FastAPI:
    """Uvicorn calls this in every worker process."""
    from parley.app import create_app

    settings = Settings()
    configure_logging(settings.log_level, json=settings.log_json)
    return create_app(settings)


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """Yield a migrated database URL: the configured one, or a private embedded Postgres."""
    embedded = None
    url = settings.database_url
    if not url:
        embedded = EmbeddedPostgres(settings.data_dir / "pg")
        embedded.start()
        url = embedded.url
        log.info("using embedded postgres", extra={"pgdata": str(embedded.pgdata)})
    try:
        migrate.upgrade(url)
        yield url
    finally:
        if embedded is not None:
            embedded.stop()
            log.info("embedded postgres stopped")


def export_for_workers(settings: Settings, url: str) -> None:
    """Worker processes read their settings from the environment: hand them what we resolved."""
    os.environ["PARLEY_DATABASE_URL"] = url
    os.environ["PARLEY_SECRET_KEY"] = settings.secret.decode()
    os.environ["PARLEY_DATA_DIR"] = str(settings.data_dir.resolve())
    if settings.workers > 1:
        metrics_dir = settings.data_dir.resolve() / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)


class _Server(uvicorn.Server):
    """Uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown, which would kill this process
    before the embedded Postgres is stopped. We exit normally instead, after cleaning up."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            yield
            self._captured_signals.clear()


def run_api(host: str, port: int, workers: int) -> None:
    options = dict(host=host, port=port, workers=workers, factory=True, loop="uvloop", http="httptools",
                   log_config=None, timeout_graceful_shutdown=30, proxy_headers=True)
    if workers > 1:
        uvicorn.run("parley.server:app_factory", **options)  # the supervisor does not re-raise
        return
    config = uvicorn.Config("parley.server:app_factory", **options)
    _Server(config).run()
