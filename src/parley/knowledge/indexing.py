"""Chunk, embed and index documents, replacing each one's previous version atomically.

Documents are indexed in batches: one embedding call for all the batch's new chunks keeps the
model busy with full, length-sorted batches instead of one small document at a time. A batch is
prepared (chunked, embedded) outside the transaction that writes it, so the next batch can be
embedded while this one is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from parley.knowledge.models import Document, Source
from parley.knowledge.parsing import Chunk, ParsedDocument, chunk_document
from parley.knowledge.repository import ChunkRepository, DocumentRepository
from parley.providers.embeddings import Embedder


@dataclass
class DocumentInput:
    external_id: str
    title: str
    kind: str
    parsed: ParsedDocument
    uri: str | None = None
    external_modified: str | None = None


@dataclass
class IndexResult:
    external_id: str
    changed: bool
    chunks: int


def content_hash(doc: DocumentInput, chunks: list[Chunk], embedder_name: str) -> str:
    digest = hashlib.sha256()
    for part in (doc.title, doc.uri or "", embedder_name):
        digest.update(part.encode() + b"\x00")
    for chunk in chunks:
        digest.update(chunk.text.encode() + b"\x01" + chunk.location.encode() + b"\x00")
    return digest.hexdigest()


@dataclass
class PreparedDocument:
    """A document chunked and (unless it looked unchanged) embedded, ready to be written."""

    doc: DocumentInput
    chunks: list[Chunk]
    digest: str
    vectors: np.ndarray | None  # None: its content matched the stored version when prepared


async def prepare_documents(embedder: Embedder, docs: list[DocumentInput], known: dict[str, str], *,
                            max_tokens: int, overlap_tokens: int) -> list[PreparedDocument]:
    """Chunk and embed outside any transaction, so that the next batch is embedded while this one is
    written. Documents whose content hash is already stored (`known`: external id -> hash) are not
    embedded again."""
    prepared = []
    for doc in docs:
        chunks = chunk_document(doc.parsed, max_tokens=max_tokens, overlap_tokens=overlap_tokens)
        prepared.append(PreparedDocument(doc, chunks, content_hash(doc, chunks, embedder.name), None))
    await _embed(embedder, [p for p in prepared if known.get(p.doc.external_id) != p.digest])
    return prepared


async def _embed(embedder: Embedder, prepared: list[PreparedDocument]) -> None:
    texts = [chunk.text for p in prepared for chunk in p.chunks]
    vectors = await embedder.embed_documents(texts) if texts else np.zeros((0, embedder.dim), dtype=np.float32)
    start = 0
    for p in prepared:
        p.vectors, start = vectors[start:start + len(p.chunks)], start + len(p.chunks)


async def write_documents(session: AsyncSession, embedder: Embedder, source: Source,
                          prepared: list[PreparedDocument]) -> list[IndexResult]:
    """Unchanged content (same hash) is a no-op; changed content swaps all chunks in this transaction.

    The batch costs a fixed handful of statements, whatever its size."""
    documents = DocumentRepository(session)
    existing = await documents.get_many_for_update(source.id, [p.doc.external_id for p in prepared])
    pending: list[PreparedDocument] = []
    results: dict[str, IndexResult] = {}
    for p in prepared:
        known = existing.get(p.doc.external_id)
        if known is not None and known.content_hash == p.digest:
            if p.doc.external_modified and known.external_modified != p.doc.external_modified:
                known.external_modified = p.doc.external_modified
            results[p.doc.external_id] = IndexResult(p.doc.external_id, changed=False, chunks=known.chunk_count)
            continue
        pending.append(p)
    # Changed by someone else since it was prepared (rare): embedded now, under the row lock.
    await _embed(embedder, [p for p in pending if p.vectors is None])

    changed: list[Document] = []
    for p in pending:
        doc = p.doc
        document = existing.get(doc.external_id) or Document(
            org_id=source.org_id, bot_id=source.bot_id, source_id=source.id, external_id=doc.external_id)
        document.title, document.uri, document.kind = doc.title[:1000], doc.uri, doc.kind
        document.content_hash, document.external_modified = p.digest, doc.external_modified
        document.chunk_count = len(p.chunks)
        changed.append(document)
    await documents.add_all([d for d in changed if d.external_id not in existing])  # assigns their ids

    rows = []
    for document, p in zip(changed, pending, strict=True):
        rows.extend({"org_id": document.org_id, "bot_id": document.bot_id, "document_id": document.id,
                     "ordinal": c.ordinal, "text": c.text, "location": c.location[:500], "page": c.page,
                     "heading": c.heading[:500] if c.heading else None, "embedding": vector,
                     "embedding_dim": embedder.dim} for c, vector in zip(p.chunks, p.vectors, strict=True))
        results[p.doc.external_id] = IndexResult(p.doc.external_id, changed=True, chunks=len(p.chunks))
    await ChunkRepository(session).replace_for_documents(changed, rows)
    return [results[p.doc.external_id] for p in prepared]


async def index_documents(session: AsyncSession, embedder: Embedder, source: Source, docs: list[DocumentInput], *,
                          max_tokens: int, overlap_tokens: int) -> list[IndexResult]:
    """Prepare and write in one go, in the caller's transaction (benchmarks, one-off loads)."""
    known = await DocumentRepository(session).hashes(source.id, [doc.external_id for doc in docs])
    prepared = await prepare_documents(embedder, docs, known, max_tokens=max_tokens, overlap_tokens=overlap_tokens)
    return await write_documents(session, embedder, source, prepared)
