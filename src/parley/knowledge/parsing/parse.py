"""Read one file of a known kind into a ParsedDocument (in this process; see bounded.py for limits)."""

from __future__ import annotations

from pathlib import Path

from .document import DEFAULT_LIMITS, ParsedDocument, ParseError, ParseLimits
from .text import decode_text, parse_text

KINDS = ("pdf", "docx", "html", "markdown", "text", "csv")


def parse_file(
    path: Path, kind: str, *, filename: str | None = None, limits: ParseLimits = DEFAULT_LIMITS
) -> ParsedDocument:
    """`filename` is the name the user uploaded (the stored path may be a random name): it is the
    title when the document has none of its own."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    size = path.stat().st_size
    if size == 0:
        raise ParseError("The file is empty")
    title = Path(filename).stem if filename else path.stem
    # Format readers import their libraries (pypdf, python-docx, trafilatura) on first use;
    # the bounded-parse fork server preloads them all (warm.py).
    from .markdown import parse_markdown
    from .pdf import parse_pdf
    from .tabular import parse_csv
    from .web import parse_html
    from .word import parse_docx

    if kind == "pdf":
        return parse_pdf(path, title)
    if kind == "docx":
        return parse_docx(path, title, limits=limits)

    if size > limits.max_text_mb * 1024 * 1024:
        raise ParseError(f"The file is larger than {limits.max_text_mb} MB")
    text = decode_text(path.read_bytes())
    if not text.strip():
        raise ParseError("The file is empty")
    if kind == "html":
        return parse_html(text, None, limits=limits, fallback_title=title)
    if kind == "markdown":
        return parse_markdown(text, title)
    if kind == "csv":
        return parse_csv(text, title)
    return parse_text(text, title)
