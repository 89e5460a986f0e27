"""Chunk, embed and index documents, replacing each one's previous version atomically.

Documents are indexed in batches: one embedding call for all the batch's new chunks keeps the
model busy with full, length-sorted batches instead of one small document at a time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

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


async def index_documents(session: AsyncSession, embedder: Embedder, source: Source, docs: list[DocumentInput], *,
                          max_tokens: int, overlap_tokens: int) -> list[IndexResult]:
    """Unchanged content (same hash) is a no-op; changed content swaps all chunks in this transaction.

    The batch costs one embedding call and a fixed handful of statements, whatever its size."""
    documents = DocumentRepository(session)
    existing = await documents.get_many_for_update(source.id, [doc.external_id for doc in docs])
    pending: list[tuple[DocumentInput, list[Chunk], str]] = []
    results: dict[str, IndexResult] = {}
    for doc in docs:
        chunks = chunk_document(doc.parsed, max_tokens=max_tokens, overlap_tokens=overlap_tokens)
        digest = content_hash(doc, chunks, embedder.name)
        known = existing.get(doc.external_id)
        if known is not None and known.content_hash == digest:
            if doc.external_modified and known.external_modified != doc.external_modified:
                known.external_modified = doc.external_modified
            results[doc.external_id] = IndexResult(doc.external_id, changed=False, chunks=known.chunk_count)
            continue
        pending.append((doc, chunks, digest))
    texts = [chunk.text for _, chunks, _ in pending for chunk in chunks]
    vectors = iter(await embedder.embed_documents(texts) if texts else [])

    changed: list[Document] = []
    for doc, chunks, digest in pending:
        document = existing.get(doc.external_id) or Document(
            org_id=source.org_id, bot_id=source.bot_id, source_id=source.id, external_id=doc.external_id)
        document.title, document.uri, document.kind = doc.title[:1000], doc.uri, doc.kind
        document.content_hash, document.external_modified = digest, doc.external_modified
        document.chunk_count = len(chunks)
        changed.append(document)
    await documents.add_all([d for d in changed if d.external_id not in existing])  # assigns their ids

    rows = []
    for document, (doc, chunks, _) in zip(changed, pending, strict=True):
        rows.extend({"org_id": document.org_id, "bot_id": document.bot_id, "document_id": document.id,
                     "ordinal": c.ordinal, "text": c.text, "location": c.location[:500], "page": c.page,
                     "heading": c.heading[:500] if c.heading else None, "embedding": next(vectors).tolist(),
                     "embedding_dim": embedder.dim} for c in chunks)
        results[doc.external_id] = IndexResult(doc.external_id, changed=True, chunks=len(chunks))
    await ChunkRepository(session).replace_for_documents(changed, rows)
    return [results[doc.external_id] for doc in docs]
