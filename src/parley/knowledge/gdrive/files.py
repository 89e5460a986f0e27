"""What a Drive file is to Parley: its metadata, and how its content is read (export or download)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

FOLDER_MIME = "application/vnd.google-apps.folder"
SHORTCUT_MIME = "application/vnd.google-apps.shortcut"
DOC_MIME = "application/vnd.google-apps.document"
SHEET_MIME = "application/vnd.google-apps.spreadsheet"
SLIDES_MIME = "application/vnd.google-apps.presentation"
PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The metadata every call asks for; Drive returns only id/name/mimeType unless told otherwise.
FILE_FIELDS = "id, name, mimeType, modifiedTime, size, md5Checksum, webViewLink, parents, trashed"


@dataclass(frozen=True)
class ContentFormat:
    kind: str  # a parsing kind: "text", "csv", "pdf", "docx", "markdown", "html"
    export_mime: str | None = None  # Google-native files have no bytes of their own: they are exported


_FORMATS: dict[str, ContentFormat] = {
    DOC_MIME: ContentFormat("text", "text/plain"),
    SHEET_MIME: ContentFormat("csv", "text/csv"),  # Drive exports only the first sheet as CSV
    SLIDES_MIME: ContentFormat("text", "text/plain"),
    PDF_MIME: ContentFormat("pdf"),
    DOCX_MIME: ContentFormat("docx"),
    "text/plain": ContentFormat("text"),
    "text/markdown": ContentFormat("markdown"),
    "text/x-markdown": ContentFormat("markdown"),
    "text/csv": ContentFormat("csv"),
    "text/html": ContentFormat("html"),
}
# Drive often labels uploaded Markdown or text files as generic binaries; the name tells better.
_GENERIC_MIMES = frozenset({"application/octet-stream", "binary/octet-stream", ""})
_BY_EXTENSION: dict[str, ContentFormat] = {
    ".md": ContentFormat("markdown"),
    ".markdown": ContentFormat("markdown"),
    ".txt": ContentFormat("text"),
    ".csv": ContentFormat("csv"),
}


@dataclass(frozen=True)
class DriveFile:
    id: str
    name: str
    mime_type: str
    modified_time: datetime
    size: int | None = None  # Google-native files (Docs, Sheets, Slides) have no size
    md5: str | None = None
    web_view_link: str | None = None
    parents: tuple[str, ...] = field(default_factory=tuple)
    trashed: bool = False

    @property
    def is_folder(self) -> bool:
        return self.mime_type == FOLDER_MIME


@dataclass(frozen=True)
class DriveChange:
    file_id: str
    removed: bool  # deleted for good, or no longer visible to this account
    file: DriveFile | None  # None when removed


def content_format(mime_type: str, name: str = "") -> ContentFormat | None:
    """How to read a file of this type, or None if Parley can't."""
    known = _FORMATS.get(mime_type)
    if known is not None:
        return known
    if mime_type in _GENERIC_MIMES:
        return _BY_EXTENSION.get(PurePosixPath(name).suffix.lower())
    return None


def is_supported(file: DriveFile) -> bool:
    return content_format(file.mime_type, file.name) is not None


def file_from_api(resource: dict[str, Any]) -> DriveFile:
    size = resource.get("size")  # an int64 sent as a JSON string
    return DriveFile(
        id=resource["id"],
        name=resource.get("name", ""),
        mime_type=resource.get("mimeType", ""),
        modified_time=datetime.fromisoformat(resource["modifiedTime"]),
        size=int(size) if size is not None else None,
        md5=resource.get("md5Checksum"),
        web_view_link=resource.get("webViewLink"),
        parents=tuple(resource.get("parents", ())),
        trashed=bool(resource.get("trashed", False)),
    )


def change_from_api(resource: dict[str, Any]) -> DriveChange:
    removed = bool(resource.get("removed", False))
    file = resource.get("file")
    return DriveChange(
        file_id=resource["fileId"],
        removed=removed,
        file=file_from_api(file) if file and not removed else None,
    )
