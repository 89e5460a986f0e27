"""Exporting Google-native files and downloading the others, with size limits."""

from __future__ import annotations

from dataclasses import replace

import pytest
from google.oauth2.credentials import Credentials

from parley.knowledge.gdrive import DriveClient, DriveFileTooLarge, UnsupportedDriveFile
from tests.fakes.gdrive import DOC, DOCX, PDF, SHEET, SLIDES, FakeDrive

from .conftest import DOCS

PDF_BYTES = (DOCS / "amt_handbook_sample.pdf").read_bytes()
DOCX_BYTES = (DOCS / "word_sample.docx").read_bytes()


def media_requests(drive: FakeDrive) -> list[tuple[str, str | None]]:
    return [(path, headers.get("range")) for _, path, headers in drive.requests if "alt=media" in path]


@pytest.mark.parametrize(
    ("name", "mime_type", "content", "kind", "export_mime"),
    [
        ("Onboarding", DOC, "Welcome aboard.\nRead this first.", "text", "text%2Fplain"),
        ("Rota", SHEET, "name,shift\nAda,early\n", "csv", "text%2Fcsv"),
        ("Kick-off", SLIDES, "Slide 1\nGoals", "text", "text%2Fplain"),
        ("handbook.pdf", PDF, PDF_BYTES, "pdf", None),
        ("letter.docx", DOCX, DOCX_BYTES, "docx", None),
        ("notes.txt", "text/plain", "plain words", "text", None),
        ("README.md", "text/markdown", "# Title\n\nBody", "markdown", None),
        ("table.csv", "text/csv", "a,b\n1,2\n", "csv", None),
        ("page.html", "text/html", "<h1>Hi</h1>", "html", None),
        ("guide.md", "application/octet-stream", "# Guide", "markdown", None),
    ],
)
async def test_each_type_is_fetched_as_its_kind(
    drive: FakeDrive, client: DriveClient, name, mime_type, content, kind, export_mime
) -> None:
    file = await client.get_file(drive.add(name, mime_type, content))
    fetched = await client.fetch_content(file)
    expected = content.encode() if isinstance(content, str) else content
    assert fetched == (expected, kind)
    assert fetched.data == expected and fetched.kind == kind
    ((path, _),) = media_requests(drive)
    if export_mime:
        assert path.startswith(f"/drive/v3/files/{file.id}/export?mimeType={export_mime}")
    else:
        assert path.startswith(f"/drive/v3/files/{file.id}?") and "supportsAllDrives=true" in path


async def test_large_downloads_come_in_ranged_chunks(
    drive: FakeDrive, user_credentials: Credentials, drive_url: str
) -> None:
    client = DriveClient(user_credentials, api_endpoint=drive_url, chunk_bytes=256 * 1024)
    file = await client.get_file(drive.add("handbook.pdf", PDF, PDF_BYTES))
    assert (await client.fetch_content(file)).data == PDF_BYTES
    assert [r for _, r in media_requests(drive)] == [
        "bytes=0-262143",
        "bytes=262144-524287",
        "bytes=524288-786431",
    ]


async def test_an_empty_file_downloads_as_empty(drive: FakeDrive, client: DriveClient) -> None:
    file = await client.get_file(drive.add("empty.txt", "text/plain", b""))
    assert await client.fetch_content(file) == (b"", "text")


async def test_a_file_larger_than_the_limit_is_not_downloaded(drive: FakeDrive, client: DriveClient) -> None:
    file = await client.get_file(drive.add("handbook.pdf", PDF, PDF_BYTES))
    with pytest.raises(DriveFileTooLarge, match='"handbook.pdf" is larger than the 100 KB limit'):
        await client.fetch_content(file, max_bytes=100 * 1024)
    assert media_requests(drive) == []


async def test_the_limit_holds_when_the_size_is_unknown(drive: FakeDrive, client: DriveClient) -> None:
    file = await client.get_file(drive.add("handbook.pdf", PDF, PDF_BYTES))
    with pytest.raises(DriveFileTooLarge):
        await client.fetch_content(replace(file, size=None), max_bytes=1000)
    assert [r for _, r in media_requests(drive)] == ["bytes=0-1000"]  # one byte over is enough to know


async def test_an_export_larger_than_the_limit(drive: FakeDrive, client: DriveClient) -> None:
    file = await client.get_file(drive.add("Long doc", DOC, "word " * 1000))
    with pytest.raises(DriveFileTooLarge, match='"Long doc" is larger than the 4 KB limit'):
        await client.fetch_content(file, max_bytes=4096)


async def test_googles_own_export_limit(drive: FakeDrive, client: DriveClient) -> None:
    drive.export_limit = 100
    file = await client.get_file(drive.add("Long doc", DOC, "word " * 100))
    with pytest.raises(DriveFileTooLarge, match="too large for Google to export"):
        await client.fetch_content(file)


@pytest.mark.parametrize(
    ("name", "mime_type"),
    [
        ("photo.jpg", "image/jpeg"),
        ("Survey", "application/vnd.google-apps.form"),
        ("archive.bin", "application/octet-stream"),
        ("Link", "application/vnd.google-apps.shortcut"),
    ],
)
async def test_unsupported_files_are_refused_without_a_download(
    drive: FakeDrive, client: DriveClient, name: str, mime_type: str
) -> None:
    file = await client.get_file(drive.add(name, mime_type, b"\x00\x01"))
    with pytest.raises(UnsupportedDriveFile, match=f'"{name}" is a type of file Parley can\'t read'):
        await client.fetch_content(file)
    assert media_requests(drive) == []
