"""Process-level start-up shared by `parley serve` and its worker processes."""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import os
import shutil
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from parley.config import Settings
from parley.db.embedded import EmbeddedPostgres
from parley.kit.logging import configure_logging

if TYPE_CHECKING:
    from fastapi import FastAPI

# Heavy imports (uvicorn, FastAPI, Alembic, the app) wait until Postgres is starting, so that
# the two overlap: see `database(warm_up=...)`.

log = logging.getLogger("parley.server")


def app_factory() -> FastAPI:
    """Uvicorn calls this in every worker process."""
    from parley.app import create_app

    settings = Settings()
    configure_logging(settings.log_level, json=settings.log_json)
    app = create_app(settings)
    # Everything imported so far lives as long as the process: keep the collector from re-scanning
    # it, and let young garbage pile up longer between collections (fewer pauses per request).
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    return app


@contextmanager
def _meanwhile(work: Callable[[], object] | None) -> Iterator[None]:
    """Run `work` in a thread during the block (its errors are left for the real call to raise)."""
    if work is None:
        yield
        return

    def quietly() -> None:
        with contextlib.suppress(Exception):
            work()

    thread = threading.Thread(target=quietly, name="warm-up", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


@contextmanager
def database(settings: Settings, *, warm_up: Callable[[], object] | None = None) -> Iterator[str]:
    """Yield a migrated database URL: the configured one, or a private embedded Postgres.

    `warm_up` runs while the embedded Postgres starts (mostly waiting on pg_ctl), e.g. importing
    the app. It is joined before migrations, so the two never import the same modules at once."""
    embedded = None
    url = settings.database_url
    if not url:
        embedded = EmbeddedPostgres(settings.data_dir / "pg")
        with _meanwhile(warm_up):
            embedded.start()
        url = embedded.url
        log.info("using embedded postgres", extra={"pgdata": str(embedded.pgdata)})
    try:
        from parley.db import migrate

        migrate.upgrade(url)
        yield url
    finally:
        if embedded is not None:
            embedded.stop()
            log.info("embedded postgres stopped")


def import_app() -> None:
    importlib.import_module("parley.app")


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


def run_api(host: str, port: int, workers: int) -> None:
    import uvicorn

    class _Server(uvicorn.Server):
        """Uvicorn re-raises SIGTERM/SIGINT after its graceful shutdown, which would kill this process
        before the embedded Postgres is stopped. We exit normally instead, after cleaning up."""

        @contextmanager
        def capture_signals(self) -> Iterator[None]:
            with super().capture_signals():
                yield
                self._captured_signals.clear()

    options = dict(host=host, port=port, workers=workers, factory=True, loop="uvloop", http="httptools",
                   log_config=None, timeout_graceful_shutdown=30, proxy_headers=True)
    config = uvicorn.Config("parley.server:app_factory", **options)
    if workers > 1:
        from uvicorn.supervisors import Multiprocess

        sockets = [WorkerSocket(host, port, config.backlog)] if reuse_port_balances() else [config.bind_socket()]
        Multiprocess(config, sockets=sockets).run()  # the supervisor does not re-raise signals
        return
    _Server(config).run()


def reuse_port_balances() -> bool:
    """On Linux, sockets sharing a port through SO_REUSEPORT each get a fair share of new connections."""
    return sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")


class WorkerSocket:
    """A listening socket that each worker process opens for itself, on a port they share.

    With one inherited socket, whichever worker wakes first accepts a whole burst of connections:
    measured here, 59 of a load test's 64 keep-alive connections landed on one of two workers, which
    doubled tail latency. With SO_REUSEPORT the kernel spreads connections evenly. Uvicorn pickles
    the sockets it hands to workers; this one unpickles as a fresh socket in each of them."""

    def __init__(self, host: str, port: int, backlog: int) -> None:
        self.address, self.backlog = (host, port), backlog

    def __reduce__(self) -> tuple[Callable[..., socket.socket], tuple[str, int, int]]:
        return _listen_reusing_port, (*self.address, self.backlog)


def port_taken(host: str, port: int) -> str | None:
    """Why (host, port) can't be listened on, if it can't. A plain bind conflicts even with a group
    of SO_REUSEPORT listeners, so two `parley serve`s can't share a port by mistake."""
    try:
        with socket.create_server((host, port), family=_family(host)):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _listen_reusing_port(host: str, port: int, backlog: int) -> socket.socket:
    sock = socket.create_server((host, port), family=_family(host), backlog=backlog, reuse_port=True)
    sock.set_inheritable(True)
    return sock
