"""Run one source through parse → clean → chunk → embed → index, reporting progress as it goes.

Documents are written in batches, each in one transaction together with the source's progress
counters (the next batch is embedded meanwhile), so a crash loses at most the batches in flight,
and a retried job skips finished documents by their content hash: the result is exactly one copy
of each chunk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator

from parley.kit.db import utcnow
from parley.kit.safe_http import FetchError, UnsafeURLError
from parley.knowledge.documents import SourceReader
from parley.knowledge.gdrive import DriveAuthError, DriveError
from parley.knowledge.indexing import DocumentInput, PreparedDocument, prepare_documents, write_documents
from parley.knowledge.parsing import ParseError
from parley.knowledge.repository import DocumentRepository, SourceRepository
from parley.providers.embeddings import EmbeddingError
from parley.runtime import Runtime

log = logging.getLogger("parley.ingestion")

# Sources whose documents can disappear between syncs: documents not seen again are deleted.
_SYNCED_KINDS = {"crawl", "gdrive", "url"}
# Documents per transaction (and per embedding call): big enough to batch well, small enough to show progress.
BATCH_DOCUMENTS = 32
BATCH_SECTIONS = 256


class SourceGone(Exception):
    """The source was deleted while it was being processed."""


class Ingestor:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.db = runtime.db
        self.settings = runtime.settings

    async def run(self, source_id: uuid.UUID) -> None:
        async with self.db.session() as session:
            source = await SourceRepository(session).get_for_job(source_id)
            if source is None:
                return
            source.status, source.error, source.note = "processing", None, None
            source.docs_done = source.chunks_done = 0
        reader = SourceReader(self.settings, self.db.session, secret_box=self.runtime.secret_box)
        try:
            seen = await self._index_all(source, reader)
        except SourceGone:
            return
        except (ParseError, FetchError, UnsafeURLError, EmbeddingError, DriveError, DriveAuthError) as exc:
            reason = getattr(exc, "reason", None) or getattr(exc, "message", None) or str(exc)
            await self._finish(source_id, status="failed", error=reason)
            if isinstance(exc, EmbeddingError | DriveError) and exc.retryable:
                raise
            return
        except Exception as exc:
            log.exception("ingestion failed", extra={"source_id": str(source_id)})
            await self._finish(source_id, status="failed",
                               error=f"Something went wrong while processing this source ({type(exc).__name__}). "
                                     "It will be retried.")
            raise
        await self._finish(source_id, status="ready", seen=seen, kind=source.kind, note=self._note(reader, seen))

    async def _index_all(self, source, reader: SourceReader) -> list[str]:
        seen: list[str] = []
        writing: asyncio.Task | None = None  # the previous batch, written while this one is embedded
        try:
            async for batch in _batches(_read_ahead(reader.documents(source))):
                prepared = await self._prepare(source.id, batch)
                if writing is not None:
                    seen += await writing
                writing = asyncio.create_task(self._write(source.id, prepared, reader))
            if writing is not None:
                seen += await writing
        finally:
            if writing is not None and not writing.done():
                writing.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await writing
        if reader.unchanged:  # kept as they are: they count as done and as seen
            async with self.db.session() as session:
                current = await SourceRepository(session).get_for_job(source.id)
                if current is None:
                    raise SourceGone
                current.docs_done += len(reader.unchanged)
            seen += reader.unchanged
        return seen

    async def _prepare(self, source_id: uuid.UUID, batch: list[DocumentInput]) -> list[PreparedDocument]:
        async with self.db.reader() as session:
            known = await DocumentRepository(session).hashes(source_id, [doc.external_id for doc in batch])
        return await prepare_documents(self.runtime.embedder, batch, known, max_tokens=self.settings.chunk_max_tokens,
                                       overlap_tokens=self.settings.chunk_overlap_tokens)

    async def _write(self, source_id: uuid.UUID, prepared: list[PreparedDocument], reader: SourceReader) -> list[str]:
        """One transaction: the batch's documents and the progress counters move together."""
        async with self.db.session() as session:
            current = await SourceRepository(session).get_for_job(source_id)
            if current is None:
                raise SourceGone
            results = await write_documents(session, self.runtime.embedder, current, prepared)
            current.docs_done += len(results)
            current.chunks_done += sum(r.chunks for r in results)
            current.docs_total = max(current.docs_total, current.docs_done + reader.report.queued)
        return [r.external_id for r in results]

    async def _finish(self, source_id: uuid.UUID, *, status: str, error: str | None = None,
                      seen: list[str] | None = None, kind: str | None = None, note: str | None = None) -> None:
        async with self.db.session() as session:
            source = await SourceRepository(session).get_for_job(source_id)
            if source is None:
                return
            documents = DocumentRepository(session)
            if status == "ready" and kind in _SYNCED_KINDS and seen is not None:
                stale = [d.external_id for d in await documents.list_for_source(source_id)
                         if d.external_id not in set(seen)]
                if stale:
                    await documents.delete_many(source_id, stale)
            source.status, source.error, source.note = status, error, note
            if status == "ready":
                source.docs_total = source.docs_done
                source.chunks_total = await documents.count_chunks(source_id)
                source.chunks_done = source.chunks_total
                source.last_synced_at = utcnow()

    @staticmethod
    def _note(reader: SourceReader, seen: list[str]) -> str | None:
        report = reader.report
        if report.note:
            return report.note
        if report.skipped_count:
            return f"{report.skipped_count} page(s) skipped, e.g. {report.pages_skipped[0][0]}: " \
                   f"{report.pages_skipped[0][1]}"
        if not seen:
            return "No documents were found."
        return None


async def _batches(documents: AsyncIterator[DocumentInput]) -> AsyncIterator[list[DocumentInput]]:
    batch: list[DocumentInput] = []
    async for document in documents:
        batch.append(document)
        if sum(len(d.parsed.sections) for d in batch) >= BATCH_SECTIONS or len(batch) >= BATCH_DOCUMENTS:
            yield batch
            batch = []
    if batch:
        yield batch


async def _read_ahead(documents: AsyncIterator[DocumentInput], depth: int = 2 * BATCH_DOCUMENTS):
    """Read (fetch, parse) the next documents while the current batch is embedded and written."""
    queue: asyncio.Queue = asyncio.Queue(maxsize=depth)
    done = object()

    async def produce() -> None:
        try:
            async for document in documents:
                await queue.put(document)
            await queue.put(done)
        except BaseException as exc:  # handed to the consumer, which raises it in its own task
            await queue.put(exc)

    producer = asyncio.create_task(produce())
    try:
        while (item := await queue.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        producer.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await producer
