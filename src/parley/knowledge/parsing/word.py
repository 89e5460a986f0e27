"""DOCX: heading styles give the location path, tables become header-aware rows."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError, _Element

from .cleaning import inline
from .document import DEFAULT_LIMITS, ParsedDocument, ParseError, ParseLimits
from .outline import OutlineBuilder
from .tabular import table_lines

_NOT_WORD = "This .docx file is not a valid Word document"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_STYLE = re.compile(r"heading\s*(\d)", re.IGNORECASE)
_OUTLINE_LEVEL = f"{qn('w:pPr')}/{qn('w:outlineLvl')}"
_NUMBERING = f"{qn('w:pPr')}/{qn('w:numPr')}"


def parse_docx(path: Path, title: str, *, limits: ParseLimits = DEFAULT_LIMITS) -> ParsedDocument:
    check_zip_bounds(path, limits)
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError, PackageNotFoundError) as error:
        raise ParseError(_NOT_WORD) from error
    outline = OutlineBuilder()
    styled_title = ""
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for index, line in enumerate(table_lines(_table_rows(block))):
                outline.block(line, tight=index > 0)
            continue
        assert isinstance(block, Paragraph)
        style_name = block.style.name if block.style is not None else ""
        if (level := _heading_level(block)) is not None:
            outline.heading(level, block.text)
        elif style_name == "Title":
            styled_title = styled_title or inline(block.text)
        elif "List" in style_name or block._p.find(_NUMBERING) is not None:
            outline.block("- " + block.text, tight=True)
        else:
            outline.block(block.text)
    sections = outline.sections()
    if not sections:
        raise ParseError("No text could be extracted (is it a scanned image?)")
    best_title = inline(document.core_properties.title or "") or styled_title or inline(title) or "Document"
    return ParsedDocument(title=best_title, sections=sections, kind="docx")


def check_zip_bounds(path: Path, limits: ParseLimits) -> None:
    """Refuse zips that would expand past the limits, before anything decompresses them.

    Declared sizes are enough: Python's zipfile never yields more than an entry's declared
    size (python-docx reads through it), so a lying header can't bypass this check.
    """
    with path.open("rb") as file:
        head = file.read(8)
    if head == _OLE2_MAGIC:
        raise ParseError("This Word document is password protected or in the old .doc format")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ParseError(_NOT_WORD) from error
    expanded = sum(entry.file_size for entry in entries)
    if len(entries) > limits.max_zip_entries or expanded > limits.max_expanded_mb * 1024 * 1024:
        raise ParseError(
            f"The document expands to more than {limits.max_expanded_mb} MB (possible decompression bomb)"
        )


def _heading_level(paragraph: Paragraph) -> int | None:
    """Level from a 'Heading N' style (or its base styles), else from an outline level."""
    own_level = paragraph._p.find(_OUTLINE_LEVEL)
    if own_level is not None:
        return _outline_level(own_level)
    style = paragraph.style
    while style is not None:
        if match := _HEADING_STYLE.fullmatch(style.name or ""):
            return int(match.group(1))
        style_level = style.element.find(_OUTLINE_LEVEL)
        if style_level is not None:
            return _outline_level(style_level)
        style = style.base_style
    return None


def _outline_level(element: _Element) -> int | None:
    value = element.get(qn("w:val"), "9")
    level = int(value) if value.isdigit() else 9
    return None if level >= 9 else level + 1  # outline level 9 means body text


def _table_rows(table: Table) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is not previous:  # a merged cell is repeated once per grid column
                cells.append(cell.text)
            previous = cell._tc
        rows.append(cells)
    return rows
