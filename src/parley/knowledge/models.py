from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Any

import numpy as np
from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from parley.kit.db import Base, IdMixin, TimestampMixin, utcnow

SOURCE_KINDS = ("file", "text", "qa", "url", "crawl", "gdrive")
SOURCE_STATUSES = ("queued", "processing", "ready", "failed")


class Source(IdMixin, TimestampMixin, Base):
    """Something a bot learns from: one uploaded file, a typed text, a web page, a site, a Drive folder."""

    __tablename__ = "sources"

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    bot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bots.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # Kind-specific settings (URL, crawl limits, Drive folder...), never secrets.
    config: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    docs_total: Mapped[int] = mapped_column(Integer, default=0)
    docs_done: Mapped[int] = mapped_column(Integer, default=0)
    chunks_total: Mapped[int] = mapped_column(Integer, default=0)
    chunks_done: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow, onupdate=utcnow)
    last_synced_at: Mapped[datetime | None]


class SourceFile(IdMixin, TimestampMixin, Base):
    """An uploaded file, kept in Postgres so that any worker machine can process it."""

    __tablename__ = "source_files"

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))


class SourceFilePart(Base):
    """The file's bytes in 1 MB parts: written and read in pieces, never whole in memory."""

    __tablename__ = "source_file_parts"

    file_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("source_files.id", ondelete="CASCADE"),
                                               primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class Document(IdMixin, TimestampMixin, Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)
    bot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bots.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    # Stable identity inside its source: file name, page URL, Drive file id.
    external_id: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(1000))
    uri: Mapped[str | None] = mapped_column(String(2000))
    kind: Mapped[str] = mapped_column(String(20))
    content_hash: Mapped[str] = mapped_column(String(64))
    external_modified: Mapped[str | None] = mapped_column(String(64))
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow, onupdate=utcnow)


def vector_text(vector: np.ndarray) -> str:
    """pgvector's text form of a float32 vector. Nine significant digits give back the exact float32;
    one printf-style format for the whole row is 3x faster than pgvector's own float-by-float `str`."""
    return _vector_format(len(vector)) % tuple(vector.tolist())


@functools.cache
def _vector_format(dim: int) -> str:
    return "[" + ",".join(["%.9g"] * dim) + "]"


class EmbeddingVector(Vector):
    """pgvector's column type, binding numpy rows through `vector_text`."""

    cache_ok = True

    def bind_processor(self, dialect):
        fallback = super().bind_processor(dialect)

        def process(value):
            return vector_text(value) if isinstance(value, np.ndarray) else fallback(value)
        return process


class Chunk(Base):
    __tablename__ = "chunks"
    __table_args__ = (Index("ix_chunks_tsv", "tsv", postgresql_using="gin"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    bot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bots.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(500))
    page: Mapped[int | None] = mapped_column(Integer)
    heading: Mapped[str | None] = mapped_column(String(500))
    # Untyped so that bots can use models of any dimension; HNSW indexes are per dimension.
    embedding: Mapped[Any] = mapped_column(EmbeddingVector())
    embedding_dim: Mapped[int] = mapped_column(Integer)
    tsv: Mapped[Any] = mapped_column(TSVECTOR)
    # Number of indexed terms: BM25's document length.
    length: Mapped[int] = mapped_column(Integer)


class Posting(Base):
    """BM25 postings, kept per bot: (bot, term) → chunks with their term frequency."""

    __tablename__ = "postings"

    bot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bots.id", ondelete="CASCADE"), primary_key=True)
    term: Mapped[str] = mapped_column(Text, primary_key=True)
    chunk_id: Mapped[int] = mapped_column(ForeignKey("chunks.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)
    tf: Mapped[int] = mapped_column(Integer)
    length: Mapped[int] = mapped_column(Integer)
