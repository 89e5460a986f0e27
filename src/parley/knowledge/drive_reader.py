"""The documents of a Google Drive source: a folder (walked recursively) or picked files.

Incremental: a file whose modifiedTime equals the stored document's `external_modified` is not
downloaded again; it is listed in `unchanged` so that the sync keeps it (only files that are gone
from Drive lose their chunks).
"""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

from parley.config import Settings
from parley.kit.security import SecretBox
from parley.knowledge.crawler import CrawlReport
from parley.knowledge.drive_connections.credentials import connection_credentials
from parley.knowledge.drive_connections.repository import DriveConnectionRepository
from parley.knowledge.gdrive import (
    DriveClient,
    DriveError,
    DriveFile,
    DriveFileTooLarge,
    UnsupportedDriveFile,
)
from parley.knowledge.indexing import DocumentInput
from parley.knowledge.models import Source
from parley.knowledge.parsing import ParseError, parse_file_bounded
from parley.knowledge.repository import DocumentRepository


class DriveSourceReader:
    def __init__(self, settings: Settings, session_factory, secret_box: SecretBox, report: CrawlReport,
                 unchanged: list[str]) -> None:
        self.settings = settings
        self.session_factory = session_factory
        self.secret_box = secret_box
        self.report = report
        self.unchanged = unchanged

    async def documents(self, source: Source) -> AsyncIterator[DocumentInput]:
        config = source.config or {}
        async with self.session_factory() as session:
            connection = None
            if config.get("connection_id"):
                connection = await DriveConnectionRepository(session, source.org_id).get(
                    uuid.UUID(config["connection_id"]))
            if connection is None:
                raise ParseError("The Google Drive connection of this source was removed. Connect Google Drive "
                                 "again, then add the folder or files anew.")
            known = {d.external_id: d.external_modified
                     for d in await DocumentRepository(session).list_for_source(source.id)}
            credentials = connection_credentials(connection, self.settings, self.secret_box)
        client = DriveClient(credentials, api_endpoint=self.settings.google_drive_api_endpoint)
        files = await self._files(client, config)
        self.report.queued = len(files)
        max_bytes = self.settings.drive_max_file_mb * 1024 * 1024
        for file in files:
            self.report.queued -= 1
            modified = file.modified_time.isoformat()
            if file.id in known and known[file.id] == modified:
                self.unchanged.append(file.id)
                continue
            try:
                document = await self._document(client, file, modified, max_bytes)
            except (UnsupportedDriveFile, DriveFileTooLarge) as exc:
                self.report.skip(file.name, exc.message)
                continue
            except ParseError as exc:
                self.report.skip(file.name, exc.reason)
                continue
            yield document
        if self.report.skipped_count:
            name, reason = self.report.pages_skipped[0]
            self.report.note = f"{self.report.skipped_count} file(s) skipped, e.g. {name}: {reason}"

    async def _files(self, client: DriveClient, config: dict) -> list[DriveFile]:
        max_files = self.settings.drive_max_files
        if config.get("folder_id"):
            listing = await client.walk_folder(config["folder_id"], max_files=max_files)
            for skipped in listing.skipped:
                self.report.skip(skipped.name, f"a type of file Parley can't read ({skipped.mime_type})")
            return listing.files
        files: dict[str, DriveFile] = {}
        for file_id in config.get("file_ids", []):
            try:
                file = await client.get_file(file_id)
            except DriveError as exc:
                if exc.code != "not_found":
                    raise
                self.report.skip(file_id, exc.message)
                continue
            if file.is_folder:
                for inner in (await client.walk_folder(file.id, max_files=max_files)).files:
                    files.setdefault(inner.id, inner)
            elif file.trashed:
                self.report.skip(file.name, "the file is in the Drive trash")
            else:
                files.setdefault(file.id, file)
        return list(files.values())

    async def _document(self, client: DriveClient, file: DriveFile, modified: str, max_bytes: int) -> DocumentInput:
        content = await client.fetch_content(file, max_bytes=max_bytes)
        with tempfile.NamedTemporaryFile(suffix=f".{content.kind}") as tmp:
            tmp.write(content.data)
            tmp.flush()
            parsed = await asyncio.to_thread(
                parse_file_bounded, Path(tmp.name), content.kind, filename=file.name,
                timeout_s=self.settings.parse_timeout_s, max_memory_mb=self.settings.parse_max_memory_mb)
        return DocumentInput(external_id=file.id, title=file.name, kind=content.kind, parsed=parsed,
                             uri=file.web_view_link, external_modified=modified)
