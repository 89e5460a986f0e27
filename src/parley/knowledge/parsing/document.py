"""The shapes that parsing produces and chunking consumes."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Joins heading titles into a location such as "Installation › Requirements".
PATH_SEPARATOR = " › "


class ParseError(Exception):
    """A document could not be read; `reason` is plain words to show the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ParseLimits:
    """Bounds that keep one hostile or huge upload from hurting the ingestion queue."""

    #: Largest text-like input (plain text, Markdown, CSV, HTML) read into memory.
    max_text_mb: int = 50
    #: Largest total uncompressed size of a DOCX (a zip) before it is opened.
    max_expanded_mb: int = 200
    #: Most entries a DOCX zip may hold; real documents have a few dozen.
    max_zip_entries: int = 5000


DEFAULT_LIMITS = ParseLimits()


@dataclass(frozen=True)
class Section:
    """A run of text that belongs to one place: a page, a heading, a group of rows."""

    text: str
    location: str
    page: int | None = None
    heading: str | None = None


@dataclass(frozen=True)
class ParsedDocument:
    title: str
    sections: list[Section] = field(default_factory=list)
    kind: str = "text"


@dataclass(frozen=True)
class Chunk:
    """A piece of one section, small enough to embed; `ordinal` counts from 0 per document."""

    text: str
    location: str
    ordinal: int
    page: int | None = None
    heading: str | None = None
