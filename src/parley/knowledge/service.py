"""Use cases of the knowledge base: add, list, re-sync and delete sources; search."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from parley.accounts.principal import Principal
from parley.audit.service import record
from parley.bots.models import Bot
from parley.bots.repository import BotRepository
from parley.kit.address_guard import AddressGuard, FetchError, UnsafeURLError
from parley.kit.errors import BadRequest, NotFound, Unprocessable, UnsupportedMediaType
from parley.knowledge.drive_connections.repository import DriveConnectionRepository
from parley.knowledge.models import Source, SourceFile
from parley.knowledge.parsing import detect_kind
from parley.knowledge.repository import PART_SIZE, FileStore, SourceRepository
from parley.knowledge.schemas import (
    CrawlSourceCreate,
    GDriveSourceCreate,
    QASourceCreate,
    SearchHit,
    SourceCreate,
    SourceOut,
    TextSourceCreate,
    UrlSourceCreate,
)
from parley.knowledge.search import hybrid_search
from parley.knowledge.tasks import enqueue_ingestion
from parley.knowledge.uploads import UploadedFile, read_in_parts
from parley.orgs.access import authorize
from parley.orgs.models import Role
from parley.runtime import Runtime

SUPPORTED_UPLOADS = "PDF, DOCX, HTML, Markdown, plain text or CSV"


class KnowledgeService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime
        self.sources = SourceRepository(session)

    async def bot(self, caller: Principal, bot_id: uuid.UUID) -> Bot:
        bot = await BotRepository(self.session).get(caller, bot_id)
        if bot is None:
            raise NotFound("Bot not found.", code="bot_not_found")
        await authorize(self.session, caller, bot.org_id, Role.member)
        return bot

    async def add_files(self, caller: Principal, bot_id: uuid.UUID, uploads: list[UploadedFile]) -> list[SourceOut]:
        bot = await self.bot(caller, bot_id)
        kinds = []
        for upload in uploads:
            kind = detect_kind(upload.filename, upload.head, upload.content_type)
            if kind is None:
                raise UnsupportedMediaType(f"'{upload.filename}' is not a supported file type. "
                                           f"Upload {SUPPORTED_UPLOADS}.")
            kinds.append(kind)
        created = []
        for upload, kind in zip(uploads, kinds, strict=True):
            source = await self._new_source(caller, bot, kind="file", name=upload.filename, config={"kind": kind})
            await FileStore(self.session).add(
                SourceFile(org_id=bot.org_id, source_id=source.id, filename=upload.filename, kind=kind,
                           size=upload.size, sha256=upload.sha256),
                read_in_parts(upload.path, PART_SIZE))
            created.append(SourceOut.of(source))
        return created

    async def add(self, caller: Principal, bot_id: uuid.UUID, body: SourceCreate) -> SourceOut:
        bot = await self.bot(caller, bot_id)
        if isinstance(body, TextSourceCreate):
            source = await self._new_source(caller, bot, kind="text", name=body.name, config={"text": body.text})
        elif isinstance(body, QASourceCreate):
            source = await self._new_source(caller, bot, kind="qa", name=body.name,
                                            config={"pairs": [p.model_dump() for p in body.pairs]})
        elif isinstance(body, UrlSourceCreate | CrawlSourceCreate):
            url = str(body.url)
            await self._check_url(url)
            config = {"url": url}
            if isinstance(body, CrawlSourceCreate):
                config |= {"max_pages": body.max_pages, "max_depth": body.max_depth, "use_sitemap": body.use_sitemap}
            name = body.name or (urlsplit(url).netloc if isinstance(body, CrawlSourceCreate) else url)
            source = await self._new_source(caller, bot, kind=body.type, name=name[:500], config=config)
        elif isinstance(body, GDriveSourceCreate):
            source = await self._add_gdrive(caller, bot, body)
        else:  # pragma: no cover - the discriminated union has no other members
            raise BadRequest("Unknown source type.")
        return SourceOut.of(source)

    async def _add_gdrive(self, caller: Principal, bot: Bot, body: GDriveSourceCreate) -> Source:
        folder_id = (body.folder_id or "").strip() or None
        file_ids = list(dict.fromkeys(f.strip() for f in body.file_ids if f.strip()))
        if not folder_id and not file_ids:
            raise Unprocessable("Give a Drive folder id or at least one file id.", code="validation_error")
        if folder_id and file_ids:
            raise Unprocessable("Give either a Drive folder id or file ids, not both.", code="validation_error")
        connection = await DriveConnectionRepository(self.session, bot.org_id).get(body.connection_id)
        if connection is None:
            raise NotFound("Drive connection not found.", code="not_found")
        name = body.name or (f"Google Drive folder {folder_id}" if folder_id else
                             f"Google Drive: {len(file_ids)} file{'s' if len(file_ids) != 1 else ''}")
        config = {"connection_id": str(connection.id), "folder_id": folder_id, "file_ids": file_ids}
        return await self._new_source(caller, bot, kind="gdrive", name=name, config=config)

    async def list(self, caller: Principal, bot_id: uuid.UUID, *, limit: int, offset: int) -> list[SourceOut]:
        await self.bot(caller, bot_id)
        return [SourceOut.of(s) for s in await self.sources.list_for_bot(bot_id, limit=limit, offset=offset)]

    async def get(self, caller: Principal, bot_id: uuid.UUID, source_id: uuid.UUID) -> SourceOut:
        await self.bot(caller, bot_id)
        return SourceOut.of(await self._source(bot_id, source_id))

    async def delete(self, caller: Principal, bot_id: uuid.UUID, source_id: uuid.UUID) -> None:
        bot = await self.bot(caller, bot_id)
        source = await self._source(bot_id, source_id, for_update=True)
        await self.sources.delete(source)  # documents, chunks and postings go with it (cascade)
        record(self.session, "source.deleted", actor=caller, org_id=bot.org_id, target_type="source",
               target_id=source_id, name=source.name)

    async def resync(self, caller: Principal, bot_id: uuid.UUID, source_id: uuid.UUID) -> SourceOut:
        await self.bot(caller, bot_id)
        source = await self._source(bot_id, source_id, for_update=True)
        if source.status != "processing":
            source.status = "queued"
        await self._enqueue(source.id)
        return SourceOut.of(source)

    async def search(self, caller: Principal, bot_id: uuid.UUID, query: str, k: int, mode: str) -> list[SearchHit]:
        bot = await self.bot(caller, bot_id)
        vector = await self.runtime.embedder.embed_query(query) if mode != "lexical" else None
        hits = await hybrid_search(self.session, org_id=bot.org_id, bot_id=bot.id, query=query,
                                   query_vector=vector, k=k, mode=mode)
        return [SearchHit(chunk_id=h.chunk_id, text=h.text, source=h.source, source_id=h.source_id,
                          document_id=h.document_id, title=h.title, location=h.location, uri=h.uri,
                          score=h.score, relevance=h.relevance) for h in hits]

    async def _new_source(self, caller: Principal, bot: Bot, *, kind: str, name: str, config: dict) -> Source:
        source = await self.sources.add(Source(org_id=bot.org_id, bot_id=bot.id, kind=kind, name=name[:500],
                                               config=config, status="queued"))
        await self._enqueue(source.id)
        record(self.session, "source.created", actor=caller, org_id=bot.org_id, target_type="source",
               target_id=source.id, kind=kind, name=source.name)
        return source

    async def _enqueue(self, source_id: uuid.UUID) -> None:
        try:
            async with self.session.begin_nested():
                await enqueue_ingestion(self.session, source_id)
        except IntegrityError:
            pass  # a run is already waiting in the queue: it will pick up the latest state

    async def _source(self, bot_id: uuid.UUID, source_id: uuid.UUID, *, for_update: bool = False) -> Source:
        source = await self.sources.get_for_bot(bot_id, source_id, for_update=for_update)
        if source is None:
            raise NotFound("Source not found.", code="source_not_found")
        return source

    async def _check_url(self, url: str) -> None:
        """Refuse private, loopback and metadata destinations up front (fetching checks again)."""
        parts = urlsplit(url)
        guard = AddressGuard(allow_networks=self.runtime.settings.allow_private_networks)
        try:
            await guard.resolve(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        except UnsafeURLError as exc:
            raise BadRequest(str(exc), code="unsafe_url") from exc
        except FetchError as exc:
            raise BadRequest(str(exc), code="unreachable_url") from exc

