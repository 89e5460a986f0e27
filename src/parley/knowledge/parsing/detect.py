"""Decide how to read an upload from its first bytes, then its name and declared type."""

from __future__ import annotations

from pathlib import PurePath

#: How many leading bytes detect_kind wants to see.
HEAD_BYTES = 4096

_DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office files, and encrypted DOCX
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_STARTS = ("<!doctype html", "<html", "<head", "<body")
_HTML_EXTENSIONS = {".html", ".htm", ".xhtml"}
_HTML_MIMES = {"text/html", "application/xhtml+xml"}
_MARKDOWN_EXTENSIONS = {".md", ".markdown", ".mdown", ".mkd"}
_MARKDOWN_MIMES = {"text/markdown", "text/x-markdown"}
_CSV_EXTENSIONS = {".csv", ".tsv"}
_CSV_MIMES = {"text/csv", "application/csv", "text/tab-separated-values"}
_TEXT_EXTENSIONS = {"", ".txt", ".text", ".log", ".rst", ".asc"}


def detect_kind(filename: str, head: bytes, declared_mime: str | None) -> str | None:
    """One of "pdf", "docx", "html", "markdown", "text", "csv"; None when unsupported.

    The bytes decide first (a PDF named notes.txt is a PDF; a PNG named notes.txt is refused).
    A file that claims to be a PDF or DOCX but is not keeps that kind, so parsing can say
    plainly what is wrong with it instead of a bare "unsupported".
    """
    extension = PurePath(filename or "").suffix.lower()
    mime = (declared_mime or "").split(";")[0].strip().lower()
    claims_docx = extension == ".docx" or mime == _DOCX_MIME
    if b"%PDF-" in head[:1024]:  # the spec lets junk precede the header
        return "pdf"
    if head.startswith(_ZIP_MAGIC):
        return "docx" if claims_docx or b"word/" in head else None
    if head.startswith(_OLE2_MAGIC):
        return "docx" if claims_docx else None
    if _looks_binary(head):
        return None
    if extension == ".pdf" or mime == "application/pdf":
        return "pdf"
    if claims_docx:
        return "docx"
    if extension in _HTML_EXTENSIONS or mime in _HTML_MIMES:
        return "html"
    if extension in _MARKDOWN_EXTENSIONS or mime in _MARKDOWN_MIMES:
        return "markdown"
    if extension in _CSV_EXTENSIONS or mime in _CSV_MIMES:
        return "csv"
    if head[:1024].decode("utf-8", "ignore").lstrip("\ufeff \t\r\n").lower().startswith(_HTML_STARTS):
        return "html"
    # Text-looking bytes under another type's name (.png, .exe, .json...) are refused, not guessed at.
    if extension in _TEXT_EXTENSIONS or mime == "text/plain":
        return "text"
    return None


def _looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters; any 8-bit text encoding passes (decoding is lenient)."""
    if head.startswith(_TEXT_BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\x0c")
    return controls > len(head) // 20
