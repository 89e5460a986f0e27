"""Turn uploads, typed text, Q&A pairs and crawled pages into located sections, then chunks.

    kind = detect_kind(filename, head, declared_mime)         # None → answer 415
    doc = parse_file_bounded(path, kind, filename=filename)    # child process, time + memory bounds
    chunks = chunk_document(doc, max_tokens=256, overlap_tokens=32)

Every failure a user should see is a ParseError whose `reason` is plain words.
"""

from .bounded import parse_file_bounded, warm_up
from .chunking import chunk_document, estimate_tokens
from .detect import HEAD_BYTES, detect_kind
from .document import Chunk, ParsedDocument, ParseError, ParseLimits, Section
from .parse import KINDS, parse_file
from .text import parse_qa_pairs, parse_text


def parse_html(html: str, url: str | None = None, **options) -> ParsedDocument:
    """Main-content extraction of a web page (trafilatura loads on first use)."""
    from .web import parse_html as parse

    return parse(html, url, **options)


__all__ = [
    "HEAD_BYTES",
    "KINDS",
    "Chunk",
    "ParseError",
    "ParseLimits",
    "ParsedDocument",
    "Section",
    "chunk_document",
    "detect_kind",
    "estimate_tokens",
    "parse_file",
    "parse_file_bounded",
    "parse_html",
    "parse_qa_pairs",
    "parse_text",
    "warm_up",
]
