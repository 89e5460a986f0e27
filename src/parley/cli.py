"""The `parley` command: serve, migrate, worker."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer

from parley.config import Settings
from parley.kit.logging import configure_logging

cli = typer.Typer(help="Parley: chatbots that answer from your documents.", no_args_is_help=True,
                  add_completion=False)
log = logging.getLogger("parley.cli")


def _settings(**overrides) -> Settings:
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    configure_logging(settings.log_level, json=settings.log_json)
    return settings


@cli.command()
def serve(host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
          workers: Annotated[int | None, typer.Option(help="API worker processes.")] = None) -> None:
    """Start the database (embedded unless DATABASE_URL is set), migrate, and serve the API."""
    from parley.server import database, export_for_workers, import_app, port_taken, run_api

    settings = _settings(workers=workers)
    if reason := port_taken(host, port):  # before Postgres starts, not after
        typer.echo(f"Can't listen on {host}:{port}: {reason}.", err=True)
        raise typer.Exit(1)
    # A single worker serves from this process: import the app while Postgres starts.
    with database(settings, warm_up=import_app if settings.workers == 1 else None) as url:
        export_for_workers(settings, url)
        log.info("serving", extra={"url": f"http://{host}:{port}", "workers": settings.workers})
        run_api(host, port, settings.workers)


@cli.command()
def migrate() -> None:
    """Apply the database migrations (starting the embedded database if needed)."""
    from parley.server import database

    with database(_settings()):
        log.info("migrations applied")


@cli.command()
def worker(concurrency: Annotated[int, typer.Option(help="Jobs run at once.")] = 2) -> None:
    """Run background jobs from the Postgres queue."""
    from parley.jobs.queue import build_queue_app
    from parley.kit.db import libpq_url
    from parley.server import database

    settings = _settings()

    async def run(url: str) -> None:
        queue = build_queue_app(libpq_url(url))
        async with queue.open_async():
            await queue.run_worker_async(concurrency=concurrency)

    with database(settings) as url:
        asyncio.run(run(url))


@cli.command()
def ingest(targets: Annotated[list[str], typer.Argument(help="Files, folders or URLs.")],
           bot: Annotated[str, typer.Option("--bot", help="The bot's id.")],
           concurrency: Annotated[int, typer.Option(help="Sources processed at once.")] = 2) -> None:
    """Bulk-load documents into a bot, with a progress bar."""
    import uuid

    from parley.app import build_runtime
    from parley.knowledge.bulk import ingest as run_ingest
    from parley.server import database

    settings = _settings()
    try:
        bot_id = uuid.UUID(bot)
    except ValueError as exc:
        raise typer.BadParameter("--bot must be a bot id") from exc

    async def run(url: str) -> int:
        runtime = build_runtime(settings.model_copy(update={"database_url": url}))
        try:
            return await run_ingest(runtime, bot_id, targets, concurrency=concurrency)
        finally:
            await runtime.db.dispose()

    with database(settings) as url:
        failures = asyncio.run(run(url))
    raise typer.Exit(code=1 if failures else 0)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
