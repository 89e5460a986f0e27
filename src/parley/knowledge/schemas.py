from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl


class TextSourceCreate(BaseModel):
    type: Literal["text"]
    name: str = Field(default="Text", min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=500_000)


class QAPair(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    answer: str = Field(min_length=1, max_length=20_000)


class QASourceCreate(BaseModel):
    type: Literal["qa"]
    name: str = Field(default="Questions and answers", min_length=1, max_length=300)
    pairs: list[QAPair] = Field(min_length=1, max_length=2000)


class UrlSourceCreate(BaseModel):
    type: Literal["url"]
    url: HttpUrl
    name: str | None = Field(default=None, max_length=300)


class CrawlSourceCreate(BaseModel):
    type: Literal["crawl"]
    url: HttpUrl
    name: str | None = Field(default=None, max_length=300)
    max_pages: int = Field(default=50, ge=1, le=1000)
    max_depth: int = Field(default=3, ge=0, le=10)
    use_sitemap: bool = True


class GDriveSourceCreate(BaseModel):
    type: Literal["gdrive"]
    connection_id: uuid.UUID
    folder_id: str | None = Field(default=None, max_length=200)
    file_ids: list[str] = Field(default_factory=list, max_length=500)
    name: str | None = Field(default=None, max_length=300)


SourceCreate = Annotated[TextSourceCreate | QASourceCreate | UrlSourceCreate | CrawlSourceCreate |
                         GDriveSourceCreate, Field(discriminator="type")]


class SourceProgress(BaseModel):
    docs_done: int
    docs_total: int
    chunks_done: int
    chunks_total: int


class SourceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    bot_id: uuid.UUID
    kind: str
    name: str
    status: Literal["queued", "processing", "ready", "failed"]
    error: str | None
    note: str | None
    progress: SourceProgress
    created_at: datetime
    updated_at: datetime
    last_synced_at: datetime | None

    @classmethod
    def of(cls, source) -> SourceOut:
        return cls(id=source.id, bot_id=source.bot_id, kind=source.kind, name=source.name, status=source.status,
                   error=source.error, note=source.note, created_at=source.created_at, updated_at=source.updated_at,
                   last_synced_at=source.last_synced_at,
                   progress=SourceProgress(docs_done=source.docs_done, docs_total=source.docs_total,
                                           chunks_done=source.chunks_done, chunks_total=source.chunks_total))


class SourceList(BaseModel):
    sources: list[SourceOut]


class SearchRequest(BaseModel):
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(default=5, ge=1, le=50)
    mode: Literal["hybrid", "lexical", "dense"] = "hybrid"


class SearchHit(BaseModel):
    chunk_id: int
    text: str
    source: str
    source_id: uuid.UUID
    document_id: uuid.UUID
    title: str
    location: str
    uri: str | None
    score: float
    relevance: float


class SearchResponse(BaseModel):
    hits: list[SearchHit]
