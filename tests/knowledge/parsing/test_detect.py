from __future__ import annotations

import pytest

from parley.knowledge.parsing import detect_kind

from .conftest import DOCS

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def head(name: str) -> bytes:
    return (DOCS / name).read_bytes()[:4096]


@pytest.mark.parametrize(
    ("filename", "name", "mime", "kind"),
    [
        ("handbook.pdf", "amt_handbook_sample.pdf", "application/pdf", "pdf"),
        ("renamed.txt", "amt_handbook_sample.pdf", "text/plain", "pdf"),  # the bytes win
        ("sample.docx", "word_sample.docx", DOCX_MIME, "docx"),
        ("upload", "word_sample.docx", "application/octet-stream", "docx"),  # "word/" in the zip head
        ("duck.html", "wiki_duck.html", "text/html; charset=utf-8", "html"),
        ("duck", "wiki_duck.html", None, "html"),  # sniffed from <!DOCTYPE html>
        ("ibm.md", "wiki_ibm.md", None, "markdown"),
        ("ibm.md", "wiki_ibm.md", "text/markdown", "markdown"),
    ],
)
def test_real_documents(filename: str, name: str, mime: str | None, kind: str) -> None:
    assert detect_kind(filename, head(name), mime) == kind


@pytest.mark.parametrize(
    ("filename", "data", "mime", "kind"),
    [
        ("people.csv", b"name,city\nAda,London\n", "text/csv", "csv"),
        ("people.tsv", b"name\tcity\n", None, "csv"),
        ("notes.txt", b"plain words", "text/plain", "text"),
        ("notes", "caf\u00e9 cr\u00e8me".encode("cp1252"), None, "text"),  # legacy 8-bit text
        ("utf16.txt", "hello".encode("utf-16"), None, "text"),  # NUL bytes, but a BOM says text
        ("cut.txt", "na\u00efve".encode()[:3], None, "text"),  # a character cut by the sample's end
        ("page.htm", b"<p>hi</p>", None, "html"),
        ("empty.txt", b"", None, "text"),  # parsing will say "The file is empty"
        ("fake.pdf", b"hello", None, "pdf"),  # parsing will say it is not a PDF
        ("fake.docx", b"hello", None, "docx"),  # parsing will say it is not a Word document
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", None),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", None, None),
        ("sheet.xlsx", b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", None, None),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), "application/msword", None),
        ("program.exe", b"MZ\x90\x00\x03\x00\x00\x00", None, None),
        ("random.bin", bytes(range(1, 32)) * 20, None, None),
    ],
)
def test_sniffing(filename: str, data: bytes, mime: str | None, kind: str | None) -> None:
    assert detect_kind(filename, data, mime) == kind
