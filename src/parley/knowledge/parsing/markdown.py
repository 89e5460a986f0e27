"""Markdown: '#' (and underlined) headings become the location path; markup is reduced to text."""

from __future__ import annotations

import re

from .cleaning import inline
from .document import ParsedDocument, ParseError
from .outline import OutlineBuilder

_FRONT_MATTER = re.compile(r"\A---\n.*?\n(?:---|\.\.\.)\n", re.DOTALL)
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+.*$")
_NOT_A_SETEXT_TEXT = re.compile(r"^\s*([-*+>|]|\d+[.)])\s")
_INLINE_RULES = [
    (re.compile(r"<!--.*?-->", re.DOTALL), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image → its alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # link → its text
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), r"\1\2"),  # bold markers
]


def strip_markup(text: str) -> str:
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return text


def parse_markdown(text: str, title: str) -> ParsedDocument:
    text = _FRONT_MATTER.sub("", text.replace("\r\n", "\n").replace("\r", "\n"), count=1)
    outline = OutlineBuilder()
    first_heading: str | None = None
    paragraph: list[str] = []
    fence: str | None = None

    def end_paragraph() -> None:
        if paragraph:
            outline.block(strip_markup("\n".join(paragraph)))
            paragraph.clear()

    def add_heading(level: int, raw: str) -> None:
        nonlocal first_heading
        heading = inline(strip_markup(raw))
        if level == 1 and first_heading is None:
            first_heading = heading
        outline.heading(level, heading)

    for line in text.split("\n"):
        if fence is not None:  # inside a code block: keep lines verbatim until the closing fence
            if line.strip().startswith(fence):
                fence = None
                end_paragraph()
            else:
                paragraph.append(line)
            continue
        if match := _FENCE.match(line):
            end_paragraph()
            fence = match.group(1)[:3]
        elif match := _ATX_HEADING.match(line):
            end_paragraph()
            add_heading(len(match.group(1)), match.group(2) or "")
        elif (
            (match := _SETEXT_UNDERLINE.match(line))
            and len(paragraph) == 1
            and not _NOT_A_SETEXT_TEXT.match(paragraph[0])
        ):
            add_heading(1 if match.group(1).startswith("=") else 2, paragraph.pop())
        elif not line.strip():
            end_paragraph()
        elif not _TABLE_RULE.match(line) and not _LINK_DEFINITION.match(line):
            paragraph.append(line)
    end_paragraph()
    sections = outline.sections()
    if not sections:
        raise ParseError("No text could be extracted")
    return ParsedDocument(
        title=first_heading or inline(title) or "Document", sections=sections, kind="markdown"
    )
