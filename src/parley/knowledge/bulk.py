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

# Small files are stored this many at a time: at most this many parts of 1 MB in memory at once.
SMALL_FILES_PER_INSERT = 64


def group(targets: list[str]) -> list[tuple[str, list[Path] | None]]:
    """(name, files) per source to create: a folder becomes one source holding its files (documents
    are then indexed in batches); a file is a source of its own; a URL has no files."""
    groups: list[tuple[str, list[Path] | None]] = []
    for target in targets:
        path = Path(target)
        if target.startswith(("http://", "https://")):
            groups.append((target, None))
        elif path.is_dir():
            files = [p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith(".")]
            groups.append((path.resolve().name or target, files))
        else:
            groups.append((target, [path]))
    return groups


async def create_sources(runtime: Runtime, bot_id: uuid.UUID,
                         targets: list[str]) -> list[tuple[str, uuid.UUID | None, str]]:
    """(target, source id or None, message) for each target."""
    results = []
    limit = runtime.settings.upload_max_mb * 1024 * 1024
    async with runtime.db.session() as session:
        bot = await session.get(Bot, bot_id)
        if bot is None:
            raise SystemExit(f"No bot with id {bot_id}.")
        sources, store = SourceRepository(session), FileStore(session)
        for name, files in group(targets):
            if files is None:
                source = await sources.add(Source(org_id=bot.org_id, bot_id=bot.id, kind="url", name=name[:500],
                                                  config={"url": name}))
                results.append((name, source.id, "queued"))
                continue
            accepted = []
            for path in files:
                kind = detect_kind(path.name, path.read_bytes()[:HEAD_BYTES], None) if path.is_file() else None
                if not path.is_file():
                    results.append((str(path), None, "not found"))
                elif path.stat().st_size > limit:
                    results.append((str(path), None, f"larger than {runtime.settings.upload_max_mb} MB"))
                elif kind is None:
                    results.append((str(path), None, "unsupported file type"))
                else:
                    accepted.append((path, kind))
            if not accepted:
                continue
            label = accepted[0][0].name if len(files) == 1 else name
            source = await sources.add(Source(org_id=bot.org_id, bot_id=bot.id, kind="file", name=label[:500],
                                              config={"files": len(accepted)}, docs_total=len(accepted)))
            small: list[tuple[SourceFile, bytes]] = []
            for path, kind in accepted:
                record = SourceFile(org_id=bot.org_id, source_id=source.id, filename=path.name, kind=kind,
                                    size=path.stat().st_size, sha256="")
                if record.size > PART_SIZE:
                    await store.add(record, read_in_parts(path, PART_SIZE))
                    continue
                small.append((record, path.read_bytes()))
                if len(small) == SMALL_FILES_PER_INSERT:
                    await store.add_small(small)
                    small = []
            await store.add_small(small)
            results.append((name, source.id, "queued"))
    return results


async def ingest(runtime: Runtime, bot_id: uuid.UUID, targets: list[str], *, concurrency: int = 2) -> int:
    created = await create_sources(runtime, bot_id, targets)
    queued = [source_id for _, source_id, _ in created if source_id is not None]
    failures = 0
    for target, _, message in created:
        if message != "queued":
            print(f"skipped {target}: {message}")
            failures += 1
    ingestor = Ingestor(runtime)
    gate = asyncio.Semaphore(concurrency)

    async def one(source_id: uuid.UUID) -> None:
        async with gate:
            await ingestor.run(source_id)

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[chunks]} chunks"), TimeElapsedColumn()) as progress:
        bar = progress.add_task("documents", total=None, chunks=0)
        work = asyncio.gather(*(one(source_id) for source_id in queued))
        while True:
            done = await _totals(runtime, queued)
            progress.update(bar, completed=done[0], total=done[1], chunks=done[2])
            if work.done():
                break
            await asyncio.sleep(0.5)
        await work
    async with runtime.db.session() as session:
        for source_id in queued:
            source = await session.get(Source, source_id)
            if source.status == "failed":
                failures += 1
                print(f"failed {source.name}: {source.error}")
            elif source.note:
                print(f"{source.name}: {source.note}")
    return failures


async def _totals(runtime: Runtime, source_ids: list[uuid.UUID]) -> tuple[int, int, int]:
    async with runtime.db.session() as session:
        sources = [await session.get(Source, source_id, populate_existing=True) for source_id in source_ids]
    return (sum(s.docs_done for s in sources), sum(max(s.docs_total, s.docs_done) for s in sources),
            sum(s.chunks_done for s in sources))
