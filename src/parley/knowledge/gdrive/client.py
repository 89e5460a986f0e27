"""An async Drive v3 client on top of google-api-python-client.

googleapiclient is synchronous and its httplib2 transport is not thread-safe, so every call
runs in a worker thread with an AuthorizedHttp of its own. The service object is built from
the discovery document shipped with the package (no network).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

import google_auth_httplib2
import httplib2
from google.auth.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpRequest, MediaIoBaseDownload

from .errors import DriveError, DriveFileTooLarge, DriveTooManyFiles, UnsupportedDriveFile
from .files import (
    FILE_FIELDS,
    ContentFormat,
    DriveChange,
    DriveFile,
    change_from_api,
    content_format,
    file_from_api,
)
from .http_errors import drive_error_from

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_CHUNK_BYTES = 1024 * 1024
_PAGE_SIZE = 1000  # the most Drive allows for files.list and changes.list
_CHANGE_FIELDS = (
    f"nextPageToken, newStartPageToken, changes(changeType, fileId, removed, file({FILE_FIELDS}))"
)
_ALL_DRIVES = {"supportsAllDrives": True}  # also see shared-drive files
_T = TypeVar("_T")


class FetchedContent(NamedTuple):
    data: bytes
    kind: str  # a parsing kind: "text", "csv", "pdf", "docx", "markdown", "html"


@dataclass(frozen=True)
class DriveListing:
    files: list[DriveFile]  # readable files, each once, folders walked breadth first
    skipped: list[DriveFile]  # files of types Parley can't read (images, forms, shortcuts...)
    folder_ids: frozenset[str]  # the folder itself and every subfolder walked


def drive_base_url(api_endpoint: str) -> str:
    """googleapiclient uses api_endpoint as the whole base URL; accept a bare root too."""
    endpoint = api_endpoint.rstrip("/")
    if urlsplit(endpoint).path in ("", "/"):
        endpoint += "/drive/v3"
    return endpoint + "/"


class DriveClient:
    def __init__(
        self,
        credentials: Credentials,
        *,
        api_endpoint: str | None = None,
        num_retries: int = 3,
        timeout_s: float = 60.0,
        chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    ) -> None:
        """`api_endpoint`: None for Google, else a root ("http://127.0.0.1:8080") or a full base
        ending in /drive/v3. `num_retries`: googleapiclient's backoff retries on 429/5xx."""
        self._credentials = credentials
        self._num_retries = num_retries
        self._timeout_s = timeout_s
        self._chunk_bytes = chunk_bytes
        options = {"api_endpoint": drive_base_url(api_endpoint)} if api_endpoint else None
        self._service: Any = build(
            "drive",
            "v3",
            credentials=credentials,
            static_discovery=True,
            cache_discovery=False,
            client_options=options,
        )

    async def get_file(self, file_id: str) -> DriveFile:
        return await self._run(self._get_file, file_id)

    async def list_folder(
        self, folder_id: str, *, recursive: bool = True, max_files: int = 1000
    ) -> list[DriveFile]:
        """The readable files in a folder (and its subfolders), skipping trashed ones."""
        return (await self.walk_folder(folder_id, recursive=recursive, max_files=max_files)).files

    async def walk_folder(
        self, folder_id: str, *, recursive: bool = True, max_files: int = 1000
    ) -> DriveListing:
        """Like list_folder, plus what was skipped and the folder ids (needed by plan_from_changes).

        Raises DriveTooManyFiles past `max_files` rather than truncating: a partial listing
        would make a sync delete the files it did not see.
        """
        return await self._run(self._walk, folder_id, recursive, max_files)

    async def fetch_content(self, file: DriveFile, *, max_bytes: int = DEFAULT_MAX_BYTES) -> FetchedContent:
        """Docs/Slides exported as text, Sheets as CSV, other readable files downloaded as they are."""
        fmt = content_format(file.mime_type, file.name)
        if fmt is None:
            raise UnsupportedDriveFile(
                f'"{file.name}" is a type of file Parley can\'t read ({file.mime_type}).'
            )
        if fmt.export_mime is None and file.size is not None and file.size > max_bytes:
            raise DriveFileTooLarge(_too_large_message(file, max_bytes))
        data = await self._run(self._download, file, fmt, max_bytes)
        return FetchedContent(data, fmt.kind)

    async def start_page_token(self) -> str:
        """The position in the change log from which list_changes reports later changes."""
        reply = await self._run(self._execute, self._service.changes().getStartPageToken(**_ALL_DRIVES))
        return reply["startPageToken"]

    async def list_changes(self, page_token: str) -> tuple[list[DriveChange], str]:
        """Every file change since `page_token`, and the token to use next time.

        Raises DriveError(code="invalid_page_token") when Drive no longer accepts the token:
        the caller should then re-list the selection and take a new start_page_token.
        """
        return await self._run(self._list_changes, page_token)

    # -- the synchronous halves, run in a worker thread --

    async def _run(self, call: Callable[..., _T], *args: Any) -> _T:
        try:
            return await asyncio.to_thread(call, *args)
        except DriveError:
            raise
        except Exception as exc:  # googleapiclient, google-auth and httplib2 raise many kinds
            mapped = drive_error_from(exc)
            if mapped is None:
                raise
            raise mapped from exc

    def _http(self) -> google_auth_httplib2.AuthorizedHttp:
        return google_auth_httplib2.AuthorizedHttp(
            self._credentials, http=httplib2.Http(timeout=self._timeout_s)
        )

    def _execute(self, request: HttpRequest) -> dict[str, Any]:
        http = self._http()
        try:
            return request.execute(http=http, num_retries=self._num_retries)
        finally:
            http.close()

    def _get_file(self, file_id: str) -> DriveFile:
        request = self._service.files().get(fileId=file_id, fields=FILE_FIELDS, **_ALL_DRIVES)
        return file_from_api(self._execute(request))

    def _walk(self, folder_id: str, recursive: bool, max_files: int) -> DriveListing:
        root = self._get_file(folder_id)
        if not root.is_folder:
            raise DriveError(f'"{root.name}" is a file, not a folder.', code="not_a_folder")
        files: dict[str, DriveFile] = {}
        skipped: dict[str, DriveFile] = {}
        folders = [root.id]  # also the queue, breadth first
        seen = {root.id}  # a folder can have several parents, so the tree may loop
        for parent in folders:
            for item in self._children(parent):
                if item.is_folder:
                    if recursive and item.id not in seen:
                        folders.append(item.id)
                        seen.add(item.id)
                        if len(folders) > max_files:
                            raise DriveTooManyFiles(f"The folder has more than {max_files} subfolders.")
                elif content_format(item.mime_type, item.name):  # shortcuts are skipped too
                    files[item.id] = item
                    if len(files) > max_files:
                        raise DriveTooManyFiles(
                            f"The folder has more than {max_files} files Parley can read. "
                            "Pick a smaller folder."
                        )
                else:
                    skipped[item.id] = item
        return DriveListing(list(files.values()), list(skipped.values()), frozenset(seen))

    def _children(self, folder_id: str) -> Iterator[DriveFile]:
        escaped = folder_id.replace("\\", "\\\\").replace("'", "\\'")
        params: dict[str, Any] = {
            "q": f"'{escaped}' in parents and trashed = false",
            "fields": f"nextPageToken, files({FILE_FIELDS})",
            "pageSize": _PAGE_SIZE,
            "includeItemsFromAllDrives": True,
            **_ALL_DRIVES,
        }
        while True:
            page = self._execute(self._service.files().list(**params))
            for resource in page.get("files", []):
                yield file_from_api(resource)
            if not page.get("nextPageToken"):
                return
            params["pageToken"] = page["nextPageToken"]

    def _download(self, file: DriveFile, fmt: ContentFormat, max_bytes: int) -> bytes:
        files = self._service.files()
        if fmt.export_mime:
            request = files.export_media(fileId=file.id, mimeType=fmt.export_mime)
        else:
            request = files.get_media(fileId=file.id, **_ALL_DRIVES)
        http = self._http()
        request.http = http  # MediaIoBaseDownload sends through the request's own http
        buffer = io.BytesIO()
        # One byte over the limit is enough to know a file is too large.
        downloader = MediaIoBaseDownload(buffer, request, chunksize=min(self._chunk_bytes, max_bytes + 1))
        try:
            done = False
            while not done:
                progress, done = downloader.next_chunk(num_retries=self._num_retries)
                if buffer.tell() > max_bytes or (progress.total_size or 0) > max_bytes:
                    raise DriveFileTooLarge(_too_large_message(file, max_bytes))
        finally:
            http.close()
        return buffer.getvalue()

    def _list_changes(self, page_token: str) -> tuple[list[DriveChange], str]:
        changes: list[DriveChange] = []
        token = page_token
        while True:
            request = self._service.changes().list(
                pageToken=token,
                fields=_CHANGE_FIELDS,
                pageSize=_PAGE_SIZE,
                includeRemoved=True,
                includeItemsFromAllDrives=True,
                spaces="drive",
                **_ALL_DRIVES,
            )
            try:
                page = self._execute(request)
            except HttpError as exc:
                if exc.status_code in (400, 404):
                    raise DriveError(
                        "Drive no longer accepts the saved sync position; the files will be listed again.",
                        code="invalid_page_token",
                    ) from exc
                raise
            for resource in page.get("changes", []):
                # Shared-drive level changes ("drive") carry no file.
                if resource.get("changeType", "file") == "file" and resource.get("fileId"):
                    changes.append(change_from_api(resource))
            if page.get("newStartPageToken"):
                return changes, page["newStartPageToken"]
            if not page.get("nextPageToken"):
                raise DriveError("Google Drive returned an incomplete list of changes.", retryable=True)
            token = page["nextPageToken"]


def _too_large_message(file: DriveFile, max_bytes: int) -> str:
    return f'"{file.name}" is larger than the {_format_bytes(max_bytes)} limit for Drive files.'


def _format_bytes(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):g} MB"
    return f"{count / 1024:g} KB" if count >= 1024 else f"{count} bytes"
