"""`parley ingest`: bulk-load files, folders and URLs into a bot from the command line.

Runs the same ingestion pipeline in this process (no queue), showing progress as it goes.
Whoever can run this has the database: there is no tenant check beyond the bot id.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from parley.bots.models import Bot
from parley.knowledge.ingestion import Ingestor
from parley.knowledge.models import Source, SourceFile
from parley.knowledge.parsing import HEAD_BYTES, detect_kind
from parley.knowledge.repository import PART_SIZE, FileStore, SourceRepository
from parley.knowledge.uploads import read_in_parts
from parley.runtime import Runtime


def expand(targets: list[str]) -> list[str]:
    """Folders become the files inside them (recursively); URLs stay as they are."""
    expanded = []
    for target in targets:
        path = Path(target)
        if target.startswith(("http://", "https://")):
            expanded.append(target)
        elif path.is_dir():
            expanded.extend(str(p) for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        else:
            expanded.append(target)
    return expanded


async def create_sources(runtime: Runtime, bot_id: uuid.UUID, targets: list[str]) -> list[tuple[str, uuid.UUID | None, str]]:
    """(target, source id or None, message) for each target."""
    results = []
    async with runtime.db.session() as session:
        bot = await session.get(Bot, bot_id)
        if bot is None:
            raise SystemExit(f"No bot with id {bot_id}.")
        sources = SourceRepository(session)
        for target in targets:
            if target.startswith(("http://", "https://")):
                source = await sources.add(Source(org_id=bot.org_id, bot_id=bot.id, kind="url", name=target[:500],
                                                  config={"url": target}))
                results.append((target, source.id, "queued"))
                continue
            path = Path(target)
            if not path.is_file():
                results.append((target, None, "not found"))
                continue
            size = path.stat().st_size
            if size > runtime.settings.upload_max_mb * 1024 * 1024:
                results.append((target, None, f"larger than {runtime.settings.upload_max_mb} MB"))
                continue
            kind = detect_kind(path.name, path.read_bytes()[:HEAD_BYTES], None)
            if kind is None:
                results.append((target, None, "unsupported file type"))
                continue
            source = await sources.add(Source(org_id=bot.org_id, bot_id=bot.id, kind="file", name=path.name,
                                              config={"kind": kind}))
            await FileStore(session).add(SourceFile(org_id=bot.org_id, source_id=source.id, filename=path.name,
                                                    kind=kind, size=size, sha256=""), read_in_parts(path, PART_SIZE))
            results.append((target, source.id, "queued"))
    return results


async def ingest(runtime: Runtime, bot_id: uuid.UUID, targets: list[str], *, concurrency: int = 2) -> int:
    created = await create_sources(runtime, bot_id, expand(targets))
    queued = [(target, source_id) for target, source_id, _ in created if source_id is not None]
    failures = 0
    for target, _, message in created:
        if message != "queued":
            print(f"skipped {target}: {message}")
            failures += 1
    ingestor = Ingestor(runtime)
    gate = asyncio.Semaphore(concurrency)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[chunks]} chunks"),
                  TimeElapsedColumn()) as progress:
        overall = progress.add_task("documents", total=len(queued), chunks=0)

        async def one(target: str, source_id: uuid.UUID) -> None:
            nonlocal failures
            async with gate:
                await ingestor.run(source_id)
            async with runtime.db.session() as session:
                source = await session.get(Source, source_id)
            chunks = progress.tasks[overall].fields["chunks"] + source.chunks_total
            progress.update(overall, advance=1, chunks=chunks)
            if source.status == "failed":
                failures += 1
                progress.console.print(f"[red]failed[/red] {target}: {source.error}")

        await asyncio.gather(*(one(target, source_id) for target, source_id in queued))
    return failures
