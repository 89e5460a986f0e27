"""All knowledge SQL. Sources and documents are reached through readable bots; chunk queries
filter on both bot and organization, so a wrong id can never cross tenants."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam, delete, func, insert, literal_column, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from parley.knowledge.models import Chunk, Document, Source, SourceFile, SourceFilePart

PART_SIZE = 1024 * 1024


class SourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, source: Source) -> Source:
        self.session.add(source)
        await self.session.flush()
        return source

    async def list_for_bot(self, bot_id: uuid.UUID, *, limit: int, offset: int) -> list[Source]:
        stmt = (select(Source).where(Source.bot_id == bot_id).order_by(Source.created_at.desc())
                .limit(limit).offset(offset))
        return list(await self.session.scalars(stmt))

    async def get_for_bot(self, bot_id: uuid.UUID, source_id: uuid.UUID, *, for_update: bool = False) -> Source | None:
        stmt = select(Source).where(Source.bot_id == bot_id, Source.id == source_id)
        return await self.session.scalar(stmt.with_for_update() if for_update else stmt)

    async def get_for_job(self, source_id: uuid.UUID) -> Source | None:
        """Jobs carry an id that a request already authorized."""
        return await self.session.get(Source, source_id)

    async def delete(self, source: Source) -> None:
        await self.session.delete(source)
        await self.session.flush()

    async def set_progress(self, source_id: uuid.UUID, **values: object) -> None:
        await self.session.execute(update(Source).where(Source.id == source_id).values(**values))


class FileStore:
    """Uploaded files as 1 MB parts in Postgres: any worker machine can read them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, record: SourceFile, chunks: Sequence[bytes]) -> None:
        self.session.add(record)
        await self.session.flush()
        for seq, data in enumerate(chunks):
            self.session.add(SourceFilePart(file_id=record.id, seq=seq, data=data))
            await self.session.flush()

    async def add_small(self, files: Sequence[tuple[SourceFile, bytes]]) -> None:
        """Files of one part each, in two statements however many there are (bulk loads of many
        small files: one round trip per file took longer than parsing them)."""
        if not files:
            return
        self.session.add_all([record for record, _ in files])
        await self.session.flush()
        await self.session.execute(insert(SourceFilePart),
                                   [{"file_id": record.id, "seq": 0, "data": data} for record, data in files if data])

    async def files_for_source(self, source_id: uuid.UUID) -> list[SourceFile]:
        return list(await self.session.scalars(
            select(SourceFile).where(SourceFile.source_id == source_id).order_by(SourceFile.filename)))

    async def read_parts(self, file_id: uuid.UUID):
        # One query, read through a cursor a part at a time: a 25 MB file never sits in memory whole.
        parts = await self.session.stream_scalars(
            select(SourceFilePart.data).where(SourceFilePart.file_id == file_id).order_by(SourceFilePart.seq)
            .execution_options(yield_per=1))
        async for data in parts:
            yield data


class DocumentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_many_for_update(self, source_id: uuid.UUID, external_ids: Sequence[str]) -> dict[str, Document]:
        rows = await self.session.scalars(select(Document).where(
            Document.source_id == source_id, Document.external_id.in_(external_ids)).with_for_update())
        return {document.external_id: document for document in rows}

    async def hashes(self, source_id: uuid.UUID, external_ids: Sequence[str]) -> dict[str, str]:
        rows = await self.session.execute(select(Document.external_id, Document.content_hash).where(
            Document.source_id == source_id, Document.external_id.in_(external_ids)))
        return {external_id: content_hash for external_id, content_hash in rows}

    async def add_all(self, documents: Sequence[Document]) -> None:
        self.session.add_all(documents)
        await self.session.flush()

    async def list_for_source(self, source_id: uuid.UUID) -> list[Document]:
        return list(await self.session.scalars(select(Document).where(Document.source_id == source_id)))

    async def delete_many(self, source_id: uuid.UUID, external_ids: Sequence[str]) -> int:
        result = await self.session.execute(delete(Document).where(
            Document.source_id == source_id, Document.external_id.in_(external_ids)))
        return result.rowcount or 0

    async def count_chunks(self, source_id: uuid.UUID) -> int:
        return await self.session.scalar(select(func.coalesce(func.sum(Document.chunk_count), 0))
                                         .where(Document.source_id == source_id))


# The lexical index is built by Postgres itself: English stemming and stop words, via to_tsvector.
# BM25's document length (indexed term positions) is computed in the same INSERT: a later UPDATE
# would write every chunk twice, index entries (HNSW, GIN) included.
_INSERT_CHUNK = insert(Chunk).values(
    tsv=func.to_tsvector(literal_column("'english'::regconfig"), bindparam("index_text")),
    length=text("(SELECT coalesce(sum(array_length(u.positions, 1)), 0) "
                "FROM unnest(to_tsvector('english'::regconfig, :index_text)) AS u)"))
_INDEX_POSTINGS_SQL = text("""
    INSERT INTO postings (bot_id, term, chunk_id, tf, length)
    SELECT c.bot_id, u.lexeme, c.id, coalesce(array_length(u.positions, 1), 1), c.length
    FROM chunks AS c, unnest(c.tsv) AS u WHERE c.document_id = ANY(:document_ids)""")


class ChunkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace_for_documents(self, documents: Sequence[Document], rows: list[dict]) -> None:
        """Swap these documents' chunks in one transaction: readers see the old sets or the new ones.

        `rows` carry their `document_id`; a handful of statements serve the whole batch."""
        if not documents:
            return
        ids = [document.id for document in documents]
        await self.session.execute(delete(Chunk).where(Chunk.document_id.in_(ids)))
        if rows:
            await self.session.execute(_INSERT_CHUNK, [{**row, "index_text": row["text"]} for row in rows])
            await self.session.execute(_INDEX_POSTINGS_SQL, {"document_ids": ids})

    async def stats(self, bot_id: uuid.UUID) -> tuple[int, float]:
        row = (await self.session.execute(select(func.count(), func.coalesce(func.avg(Chunk.length), 0))
                                          .where(Chunk.bot_id == bot_id))).one()
        return int(row[0]), float(row[1])
