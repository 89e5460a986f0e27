"""CSV files, and the header-aware row text shared with DOCX and HTML tables."""

from __future__ import annotations

import csv
import io

from .cleaning import inline
from .document import ParsedDocument, ParseError, Section

#: A section holds at most this many rows, and is closed early past about this many characters,
#: so that its "rows 21–40" location points at one or two chunks, not at a whole sheet.
ROWS_PER_SECTION = 20
_SECTION_CHARS = 1200
_SNIFF_CHARS = 16_384


def row_text(header: list[str], values: list[str]) -> str:
    """'col: value; col: value'; empty values are skipped, unnamed columns give the bare value."""
    parts: list[str] = []
    for index, raw in enumerate(values):
        value = inline(raw)
        if not value:
            continue
        name = header[index] if index < len(header) else ""
        parts.append(f"{name}: {value}" if name and name != value else value)
    return "; ".join(parts)


def table_lines(rows: list[list[str]]) -> list[str]:
    """Rows of a document table, header-aware when the first row names two or more columns.

    A first row with a single cell is a caption (an infobox title, say), not column names.
    """
    rows = [cells for row in rows if (cells := [inline(cell) for cell in row]) and any(cells)]
    if len(rows) >= 2 and sum(1 for cell in rows[0] if cell) >= 2:
        return [line for row in rows[1:] if (line := row_text(rows[0], row))]
    return [" | ".join(cell for cell in row if cell).replace(": | ", ": ") for row in rows]


def parse_csv(text: str, title: str, *, rows_per_section: int = ROWS_PER_SECTION) -> ParsedDocument:
    """A CSV/TSV whose first row names the columns; rows are numbered from 1 after the header."""
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    sections: list[Section] = []
    lines: list[str] = []
    first = last = 0
    size = 0

    def flush() -> None:
        nonlocal lines, size
        if lines:
            where = f"row {first}" if first == last else f"rows {first}–{last}"
            sections.append(Section(text="\n".join(lines), location=where))
        lines, size = [], 0

    header: list[str] | None = None
    number = 0
    try:
        for row in reader:
            if header is None:
                if any(cell.strip() for cell in row):
                    header = [inline(cell) for cell in row]
                continue
            number += 1
            line = row_text(header, row)
            if not line:
                continue
            if lines and (len(lines) >= rows_per_section or size + len(line) > _SECTION_CHARS):
                flush()
            if not lines:
                first = number
            lines.append(line)
            last = number
            size += len(line)
    except csv.Error as error:
        raise ParseError(f"This CSV file is malformed near line {reader.line_num} ({error})") from error
    flush()
    if header is None:
        raise ParseError("The file is empty")
    if not sections:
        raise ParseError("The CSV file has a header but no rows")
    return ParsedDocument(title=inline(title) or "Table", sections=sections, kind="csv")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    # The sniffer guesses from whole lines of a sample; comma-separated is the default when it can't tell.
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel
