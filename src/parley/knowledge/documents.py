"""Turn a source into the documents it contains: uploaded file, typed text, Q&A, web page, website, Drive."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import aclosing
from pathlib import Path

from parley.config import Settings
from parley.kit.safe_http import SafeHttpClient
from parley.kit.security import SecretBox
from parley.knowledge.crawler import CrawledPage, CrawlReport, crawl, fetch_page
from parley.knowledge.drive_reader import DriveSourceReader
from parley.knowledge.indexing import DocumentInput
from parley.knowledge.models import Source
from parley.knowledge.parsing import ParseError, parse_file_bounded, parse_html, parse_qa_pairs, parse_text
from parley.knowledge.repository import FileStore


class SourceReader:
    """Yields DocumentInputs for one source; `report` carries crawl progress and notes."""

    def __init__(self, settings: Settings, session_factory, secret_box: SecretBox | None = None) -> None:
        self.settings = settings
        self.session_factory = session_factory
        self.secret_box = secret_box
        self.report = CrawlReport()
        # Documents of synced sources found unchanged (not re-read): they count as seen.
        self.unchanged: list[str] = []

    def http_client(self) -> SafeHttpClient:
        return SafeHttpClient(allow_networks=self.settings.allow_private_networks,
                              timeout_s=self.settings.fetch_timeout_s,
                              max_bytes=self.settings.upload_max_mb * 1024 * 1024)

    async def documents(self, source: Source) -> AsyncIterator[DocumentInput]:
        config = source.config or {}
        if source.kind == "file":
            async for document in self._files(source):
                yield document
        elif source.kind == "text":
            yield DocumentInput(external_id="text", title=source.name, kind="text",
                                parsed=parse_text(config.get("text", ""), source.name))
        elif source.kind == "qa":
            pairs = [(p["question"], p["answer"]) for p in config.get("pairs", [])]
            yield DocumentInput(external_id="qa", title=source.name, kind="qa",
                                parsed=parse_qa_pairs(pairs, title=source.name))
        elif source.kind == "url":
            async with self.http_client() as client:
                page = await fetch_page(config["url"], client, timeout_s=self.settings.fetch_timeout_s)
                yield await self._page(page)
        elif source.kind == "crawl":
            async for document in self._crawl(config):
                yield document
        elif source.kind == "gdrive":
            if self.secret_box is None:
                raise ParseError("Google Drive sources need the server's secret box to read their credentials.")
            drive = DriveSourceReader(self.settings, self.session_factory, self.secret_box, self.report,
                                      self.unchanged)
            async for document in drive.documents(source):
                yield document
        else:
            raise ParseError(f"Sources of kind '{source.kind}' can't be processed here.")

    async def _files(self, source: Source) -> AsyncIterator[DocumentInput]:
        """One uploaded file, or a folder's files (`parley ingest`). A file that can't be read fails
        a single-file source; in a folder it is skipped and named in the source's note."""
        async with self.session_factory() as session:
            records = await FileStore(session).files_for_source(source.id)
        if not records:
            raise ParseError("The uploaded file is missing; upload it again.")
        for record in records:
            try:
                yield await self._file(record)
            except ParseError as exc:
                if len(records) == 1:
                    raise
                self.report.skip(record.filename, exc.reason)

    async def _file(self, record) -> DocumentInput:
        async with self.session_factory() as session:
            with tempfile.NamedTemporaryFile(suffix=f".{record.kind}", delete=False) as tmp:
                async for part in FileStore(session).read_parts(record.id):
                    tmp.write(part)
        try:
            parsed = await asyncio.to_thread(
                parse_file_bounded, Path(tmp.name), record.kind, filename=record.filename,
                timeout_s=self.settings.parse_timeout_s, max_memory_mb=self.settings.parse_max_memory_mb)
        finally:
            Path(tmp.name).unlink(missing_ok=True)
        return DocumentInput(external_id=record.filename, title=parsed.title or record.filename, kind=record.kind,
                             parsed=parsed)

    async def _page(self, page: CrawledPage) -> DocumentInput:
        if page.kind == "pdf":
            with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
                tmp.write(page.body)
                tmp.flush()
                parsed = await asyncio.to_thread(
                    parse_file_bounded, Path(tmp.name), "pdf", filename=page.url.rsplit("/", 1)[-1] or page.url,
                    timeout_s=self.settings.parse_timeout_s, max_memory_mb=self.settings.parse_max_memory_mb)
        else:
            parsed = await asyncio.to_thread(parse_html, page.html, page.url)
        return DocumentInput(external_id=page.url, title=parsed.title or page.url, kind=page.kind, parsed=parsed,
                             uri=page.url)

    async def _crawl(self, config: dict) -> AsyncIterator[DocumentInput]:
        async with self.http_client() as client, aclosing(crawl(
                config["url"], client=client, report=self.report,
                max_pages=min(int(config.get("max_pages", self.settings.crawl_max_pages)),
                              self.settings.crawl_max_pages),
                max_depth=min(int(config.get("max_depth", self.settings.crawl_max_depth)),
                              self.settings.crawl_max_depth),
                max_total_bytes=self.settings.crawl_max_total_mb * 1024 * 1024,
                page_timeout_s=self.settings.fetch_timeout_s,
                use_sitemap=bool(config.get("use_sitemap", True)))) as pages:
            async for page in pages:
                try:
                    yield await self._page(page)
                except ParseError as exc:
                    self.report.skip(page.url, exc.reason)
