"""Chunk, embed and index one document, replacing its previous version atomically."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from parley.knowledge.models import Document, Source
from parley.knowledge.parsing import ParsedDocument, chunk_document
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
    changed: bool
    chunks: int


def content_hash(doc: DocumentInput, chunk_texts: list[tuple[str, str]], embedder_name: str) -> str:
    digest = hashlib.sha256()
    for part in (doc.title, doc.uri or "", embedder_name):
        digest.update(part.encode() + b"\x00")
    for text, location in chunk_texts:
        digest.update(text.encode() + b"\x01" + location.encode() + b"\x00")
    return digest.hexdigest()


async def index_document(session: AsyncSession, embedder: Embedder, source: Source, doc: DocumentInput, *,
                         max_tokens: int, overlap_tokens: int) -> IndexResult:
    """Unchanged content (same hash) is a no-op; changed content swaps all chunks in this transaction."""
    chunks = chunk_document(doc.parsed, max_tokens=max_tokens, overlap_tokens=overlap_tokens)
    digest = content_hash(doc, [(c.text, c.location) for c in chunks], embedder.name)
    documents = DocumentRepository(session)
    existing = await documents.get_for_update(source.id, doc.external_id)
    if existing is not None and existing.content_hash == digest:
        if doc.external_modified and existing.external_modified != doc.external_modified:
            existing.external_modified = doc.external_modified
        return IndexResult(changed=False, chunks=existing.chunk_count)
    vectors = await embedder.embed_documents([c.text for c in chunks]) if chunks else []
    document = existing or await documents.add(Document(
        org_id=source.org_id, bot_id=source.bot_id, source_id=source.id, external_id=doc.external_id,
        title=doc.title[:1000], uri=doc.uri, kind=doc.kind, content_hash=digest))
    document.title, document.uri, document.kind = doc.title[:1000], doc.uri, doc.kind
    document.content_hash, document.external_modified, document.chunk_count = digest, doc.external_modified, len(chunks)
    rows = [{"ordinal": c.ordinal, "text": c.text, "location": c.location[:500], "page": c.page,
             "heading": (c.heading or None) and c.heading[:500], "embedding": vector.tolist(),
             "embedding_dim": embedder.dim} for c, vector in zip(chunks, vectors, strict=True)]
    await ChunkRepository(session).replace_for_document(document, rows)
    return IndexResult(changed=True, chunks=len(chunks))
