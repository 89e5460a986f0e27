"""Plain text (files and user-typed), Q&A pairs, and decoding of text-like files."""

from __future__ import annotations

import codecs

from .cleaning import clean_text, inline
from .document import ParsedDocument, ParseError, Section

#: Sections of plain text are cut at paragraph breaks once they reach about this size,
#: so a location such as "lines 120–168" stays precise enough to find the passage.
_SECTION_CHARS = 3000

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode_text(data: bytes) -> str:
    """Decode a text file: a BOM wins, then UTF-8, then Windows-1252 (never fails)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_text(text: str, title: str) -> ParsedDocument:
    """Plain or user-typed text: paragraphs grouped into sections located by line numbers."""
    sections: list[Section] = []
    group: list[str] = []
    group_start = group_end = 0
    group_size = 0

    def flush() -> None:
        nonlocal group, group_size
        if group:
            where = f"line {group_start}" if group_start == group_end else f"lines {group_start}–{group_end}"
            sections.append(Section(text="\n\n".join(group), location=where))
        group, group_size = [], 0

    for first_line, last_line, raw in _paragraphs_with_lines(text):
        paragraph = clean_text(raw)
        if not paragraph:
            continue
        if group and group_size + len(paragraph) > _SECTION_CHARS:
            flush()
        if not group:
            group_start = first_line
        group.append(paragraph)
        group_end = last_line
        group_size += len(paragraph)
    flush()
    if not sections:
        raise ParseError("The text is empty")
    return ParsedDocument(title=inline(title) or "Text", sections=sections, kind="text")


def parse_qa_pairs(pairs: list[tuple[str, str]], title: str = "Questions and answers") -> ParsedDocument:
    """One section per pair, so that no chunk mixes two pairs."""
    sections: list[Section] = []
    for number, (question, answer) in enumerate(pairs, start=1):
        question, answer = inline(question), clean_text(answer)
        if question and answer:
            sections.append(
                Section(text=f"Q: {question}\nA: {answer}", location=f"Q&A {number}", heading=question)
            )
    if not sections:
        raise ParseError("There are no questions with answers")
    return ParsedDocument(title=inline(title) or "Questions and answers", sections=sections, kind="qa")


def _paragraphs_with_lines(text: str) -> list[tuple[int, int, str]]:
    """Blank-line separated paragraphs with their first and last 1-based line numbers."""
    found: list[tuple[int, int, str]] = []
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line)
        elif lines:
            found.append((start, number - 1, "\n".join(lines)))
            lines = []
    if lines:
        found.append((start, start + len(lines) - 1, "\n".join(lines)))
    return found
