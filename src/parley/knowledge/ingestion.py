"""Run one source through parse → clean → chunk → embed → index, reporting progress as it goes.

Each document is indexed in its own transaction together with the source's progress counters,
so a crash loses at most the document in flight, and a retried job skips finished documents
by their content hash: the result is exactly one copy of each chunk.
"""

from __future__ import annotations

import logging
import uuid

from parley.kit.db import utcnow
from parley.kit.safe_http import FetchError, UnsafeURLError
from parley.knowledge.documents import SourceReader
from parley.knowledge.indexing import index_document
from parley.knowledge.parsing import ParseError
from parley.knowledge.repository import DocumentRepository, SourceRepository
from parley.providers.embeddings import EmbeddingError
from parley.runtime import Runtime

log = logging.getLogger("parley.ingestion")

# Sources whose documents can disappear between syncs: documents not seen again are deleted.
_SYNCED_KINDS = {"crawl", "gdrive", "url"}


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
        reader = SourceReader(self.settings, self.db.session)
        try:
            seen = await self._index_all(source, reader)
        except SourceGone:
            return
        except (ParseError, FetchError, UnsafeURLError, EmbeddingError) as exc:
            reason = getattr(exc, "reason", None) or str(exc)
            await self._finish(source_id, status="failed", error=reason)
            if isinstance(exc, EmbeddingError) and exc.retryable:
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
        async for document in reader.documents(source):
            async with self.db.session() as session:
                sources = SourceRepository(session)
                current = await sources.get_for_job(source.id)
                if current is None:
                    raise SourceGone
                result = await index_document(session, self.runtime.embedder, current, document,
                                              max_tokens=self.settings.chunk_max_tokens,
                                              overlap_tokens=self.settings.chunk_overlap_tokens)
                current.docs_done += 1
                current.chunks_done += result.chunks
                current.docs_total = max(current.docs_total, current.docs_done + reader.report.queued)
            seen.append(document.external_id)
        return seen

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
