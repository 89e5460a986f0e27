"""Builds sections from a stream of headings and text blocks (Markdown, DOCX, HTML)."""

from __future__ import annotations

from .cleaning import clean_text, inline
from .document import PATH_SEPARATOR, Section

#: Location of text that comes before the first heading.
START_LOCATION = "start of document"


class OutlineBuilder:
    """Feed headings and blocks in reading order; get one section per heading."""

    def __init__(self) -> None:
        self._path: list[tuple[int, str]] = []
        self._blocks: list[str] = []
        self._sections: list[Section] = []

    def heading(self, level: int, title: str) -> None:
        title = inline(title)
        if not title:
            return
        self._flush()
        # A heading closes every open heading of its level or deeper.
        while self._path and self._path[-1][0] >= level:
            self._path.pop()
        self._path.append((level, title))

    def block(self, text: str, *, tight: bool = False) -> None:
        """Add a paragraph; `tight` blocks (list items, table rows) join the previous one by a line break."""
        text = clean_text(text)
        if not text:
            return
        if tight and self._blocks:
            self._blocks[-1] += "\n" + text
        else:
            self._blocks.append(text)

    def sections(self) -> list[Section]:
        self._flush()
        return self._sections

    def _flush(self) -> None:
        if not self._blocks:
            return
        titles = [title for _, title in self._path]
        location = PATH_SEPARATOR.join(titles) if titles else START_LOCATION
        heading = titles[-1] if titles else None
        self._sections.append(Section(text="\n\n".join(self._blocks), location=location, heading=heading))
        self._blocks = []
