"""Receive multipart uploads as a stream: each file goes to a temporary file on disk, and an
oversized file is refused with 413 as soon as it crosses the limit, before the body is read."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header

from parley.kit.errors import BadRequest, PayloadTooLarge
from parley.knowledge.parsing import HEAD_BYTES

MULTIPART_OVERHEAD = 64 * 1024


@dataclass
class UploadedFile:
    filename: str
    content_type: str | None
    path: Path
    size: int = 0
    head: bytes = b""
    digest: "hashlib._Hash" = field(default_factory=hashlib.sha256)  # hashed while it streams in

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()


MAX_FIELD_BYTES = 1024


@dataclass
class _PartState:
    headers: dict[str, str] = field(default_factory=dict)
    field_name: str | None = None
    field_value: bytes = b""
    header_field: bytes = b""
    header_value: bytes = b""
    file: UploadedFile | None = None
    handle: object = None


class UploadReceiver:
    def __init__(self, *, max_file_bytes: int, max_files: int) -> None:
        self.max_file_bytes = max_file_bytes
        self.max_files = max_files
        self.files: list[UploadedFile] = []
        self.fields: dict[str, str] = {}  # small text fields sent alongside the files
        self._part = _PartState()

    def cleanup(self) -> None:
        for upload in self.files:
            upload.path.unlink(missing_ok=True)

    async def receive(self, request: Request, *, field_name: str = "files") -> list[UploadedFile]:
        content_type, options = parse_options_header(request.headers.get("content-type", ""))
        boundary = options.get(b"boundary")
        if content_type != b"multipart/form-data" or not boundary:
            raise BadRequest("Send files as multipart/form-data.", code="invalid_upload")
        declared = request.headers.get("content-length")
        limit = self.max_files * self.max_file_bytes + MULTIPART_OVERHEAD
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge(self._too_large_message())
        parser = MultipartParser(boundary, {
            "on_part_begin": self._on_part_begin, "on_part_data": self._on_part_data,
            "on_part_end": self._on_part_end, "on_header_field": self._on_header_field,
            "on_header_value": self._on_header_value, "on_header_end": self._on_header_end,
            "on_headers_finished": self._on_headers_finished})
        try:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
        except (PayloadTooLarge, BadRequest):
            self._close_part()
            self.cleanup()
            raise
        except Exception as exc:
            self._close_part()
            self.cleanup()
            raise BadRequest("The upload could not be read as multipart/form-data.", code="invalid_upload") from exc
        if not self.files:
            raise BadRequest(f"No files in the upload: send them in a field named '{field_name}'.", code="no_files")
        return self.files

    def _too_large_message(self) -> str:
        return (f"Each file may be at most {self.max_file_bytes // (1024 * 1024)} MB, "
                f"and at most {self.max_files} files per upload.")

    def _on_part_begin(self) -> None:
        self._part = _PartState()

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._part.header_field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._part.header_value += data[start:end]

    def _on_header_end(self) -> None:
        self._part.headers[self._part.header_field.decode("latin-1").lower()] = \
            self._part.header_value.decode("utf-8", "replace")
        self._part.header_field = self._part.header_value = b""

    def _on_headers_finished(self) -> None:
        _, options = parse_options_header(self._part.headers.get("content-disposition", ""))
        filename = options.get(b"filename")
        if filename is None:
            self._part.field_name = (options.get(b"name") or b"").decode("utf-8", "replace")
            return
        if len(self.files) >= self.max_files:
            raise PayloadTooLarge(self._too_large_message())
        name = os.path.basename(filename.decode("utf-8", "replace").replace("\\", "/")).strip()[:300] or "upload"
        fd, path = tempfile.mkstemp(prefix="parley-upload-")
        upload = UploadedFile(filename=name, content_type=self._part.headers.get("content-type"), path=Path(path))
        self.files.append(upload)
        self._part.file, self._part.handle = upload, os.fdopen(fd, "wb")

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        upload = self._part.file
        if upload is None:
            if self._part.field_name and len(self._part.field_value) < MAX_FIELD_BYTES:
                self._part.field_value += data[start:end][:MAX_FIELD_BYTES]
            return
        piece = data[start:end]
        upload.size += len(piece)
        if upload.size > self.max_file_bytes:
            raise PayloadTooLarge(f"'{upload.filename}' is larger than {self.max_file_bytes // (1024 * 1024)} MB.")
        if len(upload.head) < HEAD_BYTES:
            upload.head += piece[: HEAD_BYTES - len(upload.head)]
        upload.digest.update(piece)
        self._part.handle.write(piece)

    def _on_part_end(self) -> None:
        if self._part.field_name and self._part.file is None:
            self.fields[self._part.field_name] = self._part.field_value.decode("utf-8", "replace")
        self._close_part()

    def _close_part(self) -> None:
        if self._part.handle is not None:
            self._part.handle.close()
            self._part.handle = None


def read_in_parts(path: Path, part_size: int):
    with open(path, "rb") as file:
        while chunk := file.read(part_size):
            yield chunk
