"""Google Drive v3 as google-api-python-client calls it, with Google's token endpoint beside it.

Drive (under /drive/v3, the path googleapiclient uses with api_endpoint="<base>/drive/v3/"):
  GET files (q "'<folder>' in parents and trashed = false", fields, pageSize, pageToken),
  GET files/{id} (metadata, or bytes with alt=media and Range), GET files/{id}/export,
  GET changes/startPageToken, GET changes (pageToken; only a file's latest state is reported).
POST /token is Google's token endpoint (tests/fakes/google_oauth.py), on the same port.
Drive calls need "Authorization: Bearer <token issued there>", else 401. Errors use Google's JSON.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.google_oauth import FakeGoogleOAuth

FOLDER = "application/vnd.google-apps.folder"
DOC = "application/vnd.google-apps.document"
SHEET = "application/vnd.google-apps.spreadsheet"
SLIDES = "application/vnd.google-apps.presentation"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRIVE_READ_SCOPES = {
    "https://www.googleapis.com/auth/drive.readonly",
    "https://www.googleapis.com/auth/drive",
}
EXPORTS = {  # what each Google-native type can be exported as, here
    DOC: {"text/plain", "text/html", "text/markdown"},
    SHEET: {"text/csv"},
    SLIDES: {"text/plain"},
}
# What Drive returns when a request names no `fields`.
LIST_FIELDS = "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)"
GET_FIELDS = "kind,id,name,mimeType"
CHANGES_FIELDS = (
    "kind,nextPageToken,newStartPageToken,"
    "changes(kind,changeType,time,removed,fileId,file(kind,id,name,mimeType))"
)
_QUERY = re.compile(r"^\s*'((?:[^'\\]|\\.)+)'\s+in\s+parents\s+and\s+trashed\s*=\s*false\s*$")


@dataclass
class FakeFile:
    id: str
    name: str
    mime_type: str
    parents: list[str]
    content: bytes  # for Google-native files: the text of their export
    modified: datetime
    trashed: bool = False

    def resource(self) -> dict[str, Any]:
        native = self.mime_type.startswith("application/vnd.google-apps.")
        data: dict[str, Any] = {
            "kind": "drive#file",
            "id": self.id,
            "name": self.name,
            "mimeType": self.mime_type,
            "parents": list(self.parents),
            "trashed": self.trashed,
            "modifiedTime": self.modified.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "webViewLink": f"https://docs.google.com/d/{self.id}/edit"
            if native
            else f"https://drive.google.com/file/d/{self.id}/view?usp=drivesdk",
        }
        if not native:
            data |= {"size": str(len(self.content)), "md5Checksum": hashlib.md5(self.content).hexdigest()}
        return data


@dataclass
class Failure:
    status: int
    reason: str
    message: str
    path: str  # only requests whose path contains this fail
    times: int


@dataclass
class FakeDrive:
    page_size_cap: int = 1000  # Drive may return fewer items than pageSize asks for
    export_limit: int = 10 * 1024 * 1024
    files: dict[str, FakeFile] = field(default_factory=dict)
    change_log: list[str] = field(default_factory=list)  # change n is change_log[n - 1]: a file id
    # Every Drive request: (method, path?query, headers).
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    oauth: FakeGoogleOAuth = field(default_factory=FakeGoogleOAuth)  # serves POST /token on the same port

    def __post_init__(self) -> None:
        self.lock = threading.RLock()  # tests script from their thread while the server runs in another
        self.clock = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
        self.app = Starlette(
            routes=[
                Route("/token", self.oauth.token_endpoint, methods=["POST"]),
                Route("/drive/v3/files", self._list_files),
                Route("/drive/v3/files/{file_id}", self._get_file),
                Route("/drive/v3/files/{file_id}/export", self._export),
                Route("/drive/v3/changes/startPageToken", self._start_page_token),
                Route("/drive/v3/changes", self._list_changes),
            ]
        )

    # -- scripting from tests --

    def add(self, name: str, mime_type: str, content: bytes | str = b"", *, parent: str = "root") -> str:
        with self.lock:
            file_id = secrets.token_urlsafe(24)
            data = content.encode() if isinstance(content, str) else content
            self.files[file_id] = FakeFile(file_id, name, mime_type, [parent], data, self._tick())
            self.change_log.append(file_id)
            return file_id

    def add_folder(self, name: str, *, parent: str = "root") -> str:
        return self.add(name, FOLDER, parent=parent)

    def modify(
        self,
        file_id: str,
        *,
        content: bytes | str | None = None,
        name: str | None = None,
        parent: str | None = None,
        trashed: bool | None = None,
    ) -> None:
        with self.lock:
            file = self.files[file_id]
            if content is not None:
                file.content = content.encode() if isinstance(content, str) else content
            file.name = name or file.name
            file.parents = [parent] if parent else file.parents
            file.trashed = file.trashed if trashed is None else trashed
            file.modified = self._tick()
            self.change_log.append(file_id)

    def delete(self, file_id: str) -> None:
        """Delete for good (not trash): the changes API reports it as removed."""
        with self.lock:
            del self.files[file_id]
            self.change_log.append(file_id)

    def fail(
        self,
        status: int,
        reason: str,
        message: str = "Scripted failure",
        *,
        path: str = "/drive/",
        times: int = 1,
    ) -> None:
        with self.lock:
            self.failures.append(Failure(status, reason, message, path, times))

    def _tick(self) -> datetime:
        self.clock += timedelta(seconds=1)
        return self.clock

    # -- Drive --

    def _guard(self, request: Request) -> Response | None:
        """Record the request, then refuse it if unauthenticated or a failure is scripted."""
        query = f"?{request.url.query}" if request.url.query else ""
        self.requests.append((request.method, request.url.path + query, dict(request.headers)))
        grant = self.oauth.grant_for(request.headers.get("authorization"))
        if grant is None:
            response = drive_error(
                401, "authError", "Invalid Credentials", location="Authorization", location_type="header"
            )
            response.headers["WWW-Authenticate"] = (
                'Bearer realm="https://accounts.google.com/", error="invalid_token"'
            )
            return response
        if not grant.scopes & DRIVE_READ_SCOPES:
            return drive_error(
                403, "insufficientPermissions", "Request had insufficient authentication scopes."
            )
        for failure in self.failures:
            if failure.times > 0 and failure.path in request.url.path:
                failure.times -= 1
                return drive_error(failure.status, failure.reason, failure.message)
        return None

    async def _list_files(self, request: Request) -> Response:
        with self.lock:
            if refused := self._guard(request):
                return refused
            params = request.query_params
            match = _QUERY.match(params.get("q", ""))
            if match is None:
                return drive_error(400, "invalid", "Invalid Value", location="q")
            parent = re.sub(r"\\(.)", r"\1", match.group(1))
            items = [f for f in self.files.values() if parent in f.parents and not f.trashed]
            size = min(int(params.get("pageSize", 100)), 1000, self.page_size_cap)
            token = params.get("pageToken", "0")
            if not token.isdigit():
                return drive_error(400, "invalid", "Invalid Value", location="pageToken")
            start = int(token)
            body: dict[str, Any] = {
                "kind": "drive#fileList",
                "incompleteSearch": False,
                "files": [f.resource() for f in items[start : start + size]],
            }
            if start + size < len(items):
                body["nextPageToken"] = str(start + size)
            return JSONResponse(apply_fields(body, params.get("fields", LIST_FIELDS)))

    async def _get_file(self, request: Request) -> Response:
        with self.lock:
            if refused := self._guard(request):
                return refused
            file = self.files.get(request.path_params["file_id"])
            if file is None:
                return _not_found(request.path_params["file_id"])
            if request.query_params.get("alt") != "media":
                return JSONResponse(
                    apply_fields(file.resource(), request.query_params.get("fields", GET_FIELDS))
                )
            if file.mime_type.startswith("application/vnd.google-apps."):
                return drive_error(
                    403,
                    "fileNotDownloadable",
                    "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
                    location="alt",
                )
            return _ranged(file.content, request.headers.get("range"), file.mime_type)

    async def _export(self, request: Request) -> Response:
        with self.lock:
            if refused := self._guard(request):
                return refused
            file = self.files.get(request.path_params["file_id"])
            if file is None:
                return _not_found(request.path_params["file_id"])
            wanted = request.query_params.get("mimeType", "")
            if file.mime_type not in EXPORTS:
                return drive_error(403, "fileNotExportable", "Export only supports Docs Editors files.")
            if wanted not in EXPORTS[file.mime_type]:
                return drive_error(
                    400, "badRequest", "The requested conversion is not supported.", location="convertTo"
                )
            if len(file.content) > self.export_limit:
                return drive_error(403, "exportSizeLimitExceeded", "This file is too large to be exported.")
            return Response(file.content, media_type=wanted)  # exports ignore Range, like Google's

    async def _start_page_token(self, request: Request) -> Response:
        with self.lock:
            if refused := self._guard(request):
                return refused
            return JSONResponse(
                {"kind": "drive#startPageToken", "startPageToken": str(len(self.change_log) + 1)}
            )

    async def _list_changes(self, request: Request) -> Response:
        with self.lock:
            if refused := self._guard(request):
                return refused
            token = request.query_params.get("pageToken", "")
            if not token.isdigit() or not 1 <= int(token) <= len(self.change_log) + 1:
                return drive_error(400, "invalid", "Invalid Value", location="pageToken")
            size = min(int(request.query_params.get("pageSize", 100)), 1000, self.page_size_cap)
            last_index = {file_id: n for n, file_id in enumerate(self.change_log, start=1)}
            changes, n = [], int(token)
            while n <= len(self.change_log) and len(changes) < size:
                file_id = self.change_log[n - 1]
                if last_index[file_id] == n:  # Drive reports only the latest state of a file
                    changes.append(self._change(file_id))
                n += 1
            body: dict[str, Any] = {"kind": "drive#changeList", "changes": changes}
            if n <= len(self.change_log):
                body["nextPageToken"] = str(n)
            else:
                body["newStartPageToken"] = str(n)
            return JSONResponse(apply_fields(body, request.query_params.get("fields", CHANGES_FIELDS)))

    def _change(self, file_id: str) -> dict[str, Any]:
        file = self.files.get(file_id)
        change: dict[str, Any] = {
            "kind": "drive#change",
            "changeType": "file",
            "fileId": file_id,
            "removed": file is None,
            "time": self.clock.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        }
        if file is not None:
            change["file"] = file.resource()
        return change


def drive_error(
    status: int, reason: str, message: str, *, location: str | None = None, location_type: str = "parameter"
) -> JSONResponse:
    detail = {"message": message, "domain": "global", "reason": reason}
    if location:
        detail |= {"location": location, "locationType": location_type}
    return JSONResponse(
        {"error": {"code": status, "message": message, "errors": [detail]}}, status_code=status
    )


def _not_found(file_id: str) -> JSONResponse:
    return drive_error(404, "notFound", f"File not found: {file_id}.", location="fileId")


def _ranged(content: bytes, range_header: str | None, media_type: str) -> Response:
    total = len(content)
    match = re.fullmatch(r"bytes=(\d+)-(\d*)", range_header or "")
    if match is None:
        return Response(content, media_type=media_type)
    start = int(match.group(1))
    end = min(int(match.group(2)) if match.group(2) else total - 1, total - 1)
    if start >= total:
        return Response(status_code=416, headers={"Content-Range": f"bytes */{total}"})
    return Response(
        content[start : end + 1],
        status_code=206,
        media_type=media_type,
        headers={"Content-Range": f"bytes {start}-{end}/{total}"},
    )


def apply_fields(value: Any, spec: str) -> Any:
    """Keep only the parts of a response named by a `fields` mask, like Drive does."""
    return _select(value, _parse_fields(spec))


def _parse_fields(spec: str) -> dict[str, Any]:
    """'nextPageToken,files(id,name)' -> {"nextPageToken": None, "files": {"id": None, "name": None}}."""
    tree: dict[str, Any] = {}
    stack, name = [tree], ""
    for char in spec + ",":
        if char not in ",()":
            name += char
            continue
        name = name.strip()
        if char == "(":
            stack[-1][name] = {}
            stack.append(stack[-1][name])
        elif name:
            stack[-1][name] = None
        if char == ")":
            stack.pop()
        name = ""
    return tree


def _select(value: Any, tree: dict[str, Any] | None) -> Any:
    if tree is None or "*" in tree:
        return value
    if isinstance(value, list):
        return [_select(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: _select(value[key], sub) for key, sub in tree.items() if key in value}
