"""PDF: one section per page, lines reflowed into paragraphs, running headers/footers dropped."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdf
from pypdf.errors import DependencyError, PdfReadError

from .cleaning import clean_text, inline, paragraphs
from .document import ParsedDocument, ParseError, Section

_DAMAGED = "This PDF is damaged or not a PDF"
_ENCRYPTED = "This PDF is encrypted (password protected)"
_MARGIN_LINES = 2  # how many lines at the top and bottom of a page may be a running header/footer
_PAGE_NUMBER = re.compile(r"(page\s+)?\d+(\s*[-–]\s*\d+)?(\s*(of|/)\s*\d+)?", re.IGNORECASE)
_JUNK_TITLES = re.compile(
    r"(untitled|microsoft (word|powerpoint) - .*|.*\.(docx?|pdf|indd|qxd))", re.IGNORECASE
)


def parse_pdf(path: Path, title: str) -> ParsedDocument:
    try:
        reader = pypdf.PdfReader(path, strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise ParseError(_ENCRYPTED)
        page_count = len(reader.pages)
    except ParseError:
        raise
    except Exception as error:  # pypdf raises many types for broken files (PdfReadError, KeyError, ...)
        raise ParseError(_DAMAGED) from error

    pages: list[list[str]] = []
    failed = 0
    for page in reader.pages:
        try:
            text = page.extract_text() or ""
        except Exception:  # noqa: BLE001 -- one broken page should not lose the rest of the document
            text, failed = "", failed + 1
        pages.append([line.strip() for line in text.splitlines() if line.strip()])
    if page_count and failed == page_count:
        raise ParseError(_DAMAGED)

    sections: list[Section] = []
    for number, lines in enumerate(_drop_running_lines(pages), start=1):
        text = "\n\n".join(part.replace("\n", " ") for part in paragraphs(clean_text(_reflow(lines))))
        if text:
            sections.append(Section(text=text, location=f"page {number}", page=number))
    if not sections:
        raise ParseError("No text could be extracted (is it a scanned image?)")
    return ParsedDocument(
        title=_metadata_title(reader) or inline(title) or "Document", sections=sections, kind="pdf"
    )


def _opens_without_password(reader: pypdf.PdfReader) -> bool:
    # Many PDFs are encrypted only to restrict printing/copying: the empty user password opens them.
    try:
        return reader.decrypt("") != pypdf.PasswordType.NOT_DECRYPTED
    except (DependencyError, PdfReadError, NotImplementedError):
        return False


def _metadata_title(reader: pypdf.PdfReader) -> str:
    try:
        raw = reader.metadata.title if reader.metadata else None
    except Exception:  # noqa: BLE001 -- broken metadata dictionaries are common and never worth failing for
        return ""
    title = inline(str(raw or ""))
    return "" if _JUNK_TITLES.fullmatch(title) else title


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and lines repeated at the top or bottom of many pages."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.lower())

    def margin(lines: list[str]) -> list[str]:
        return lines[:_MARGIN_LINES] + lines[-_MARGIN_LINES:]

    repeated: set[str] = set()
    if len(pages) >= 3:
        counts = Counter(k for lines in pages for k in {key(line) for line in margin(lines)})
        threshold = max(3, len(pages) // 2)
        repeated = {k for k, count in counts.items() if count >= threshold}

    cleaned: list[list[str]] = []
    for lines in pages:
        edge = set(range(min(_MARGIN_LINES, len(lines)))) | set(
            range(max(0, len(lines) - _MARGIN_LINES), len(lines))
        )
        cleaned.append(
            [
                line
                for index, line in enumerate(lines)
                if index not in edge or not (key(line) in repeated or _PAGE_NUMBER.fullmatch(line))
            ]
        )
    return cleaned


def _reflow(lines: list[str]) -> str:
    """Join a page's lines into paragraphs (blank-line separated), keeping line breaks inside them.

    A line clearly shorter than the page's usual line ends a paragraph (last line, heading,
    caption) unless the next line goes on in lower case. The inner line breaks stay so that
    clean_text can rejoin hyphenated words; the caller turns them into spaces.
    """
    if not lines:
        return ""
    lengths = sorted(len(line) for line in lines)
    usual = lengths[int(len(lengths) * 0.8)] if len(lengths) >= 5 else lengths[-1]

    def short(index: int) -> bool:
        return index < len(lines) and len(lines[index]) < 0.7 * usual

    def starts_lower(index: int) -> bool:
        return index < len(lines) and lines[index][:1].islower()

    def stands_alone(index: int) -> bool:
        """A heading or caption line: short, no closing punctuation, not continued in lower case."""
        return (
            short(index) and not lines[index].endswith((".", ",", ";", ":")) and not starts_lower(index + 1)
        )

    out: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if len(line) == 1 and line.isupper() and following[:1].islower():
            out.append(line)  # a drop cap ("T" + "he Boots ..."): glue it to the next line
            continue
        if out and len(out[-1]) == 1 and out[-1].isupper():
            out[-1] += line
        else:
            out.append(line)
        ends_here = short(index) and not starts_lower(index + 1)
        heading_next = line.endswith((".", "!", "?", ":")) and stands_alone(index + 1)
        out.append("\n\n" if ends_here or heading_next else "\n")
    return "".join(out)
