"""Imported by the fork server: parse one tiny document of each kind so that the libraries'
lazy first-use work (regex compilation, XML schemas, font tables) is done once, before forking,
instead of again in every child."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import docx
import pypdf

from .document import ParseError
from .parse import parse_file
from .web import parse_html

_PARAGRAPH = "Warm-up text. It has two sentences.\n"


def _tiny_pdf() -> bytes:
    # No text layer (pypdf cannot draw text), but the reader's parsing path still gets exercised.
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _tiny_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Warm-up", level=1)
    document.add_paragraph(_PARAGRAPH)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "name", "value"
    table.cell(1, 0).text, table.cell(1, 1).text = "a", "1"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def warm_parsers() -> None:
    page = f"<html><head><title>Warm</title></head><body><article><h1>Warm</h1><p>{_PARAGRAPH * 20}</p></article></body></html>"
    samples = {
        "pdf": _tiny_pdf(),
        "docx": _tiny_docx(),
        "markdown": f"# Warm\n\n{_PARAGRAPH}".encode(),
        "csv": b"name,value\na,1\n",
        "text": _PARAGRAPH.encode(),
        "html": page.encode(),
    }
    with tempfile.TemporaryDirectory() as folder:
        for kind, data in samples.items():
            path = Path(folder) / f"warm.{kind}"
            path.write_bytes(data)
            try:
                parse_file(path, kind)
            except ParseError:
                pass  # the blank PDF has no text, as expected
    parse_html(page, "https://example.org/warm")


try:
    warm_parsers()
except Exception:  # noqa: BLE001, S110 -- warming is an optimisation: never let it break the fork server
    pass
