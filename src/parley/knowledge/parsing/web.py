"""HTML: main content via trafilatura (headings kept), with a plain walk of the page as fallback."""

from __future__ import annotations

import lxml.etree
import lxml.html
import trafilatura

from .cleaning import inline
from .document import DEFAULT_LIMITS, ParsedDocument, ParseError, ParseLimits, Section
from .outline import OutlineBuilder
from .tabular import table_lines

_TRAFILATURA_BLOCKS = {"p", "head", "list", "item", "quote", "code", "table", "row"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Never content: code, styling, and page furniture that trafilatura would also drop.
_SKIPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "iframe",
    "form",
    "button",
    "select",
    "head",
}
_BLOCKS = {
    "p", "div", "section", "article", "main", "aside", "header", "footer", "blockquote", "pre", "ul", "ol", "li",
    "dl", "dt", "dd", "table", "tr", "figure", "figcaption", "address", "hr", "body",
}  # fmt: skip


def parse_html(
    html: str,
    url: str | None = None,
    *,
    limits: ParseLimits = DEFAULT_LIMITS,
    fallback_title: str | None = None,
) -> ParsedDocument:
    """A web page or HTML file; `url` helps trafilatura and is the title of last resort."""
    if len(html) > limits.max_text_mb * 1024 * 1024:
        raise ParseError(f"The page is larger than {limits.max_text_mb} MB")
    html = html.replace("\x00", "")
    if not html.strip():
        raise ParseError("The page is empty")
    extracted = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    title = ""
    sections: list[Section] = []
    if extracted:
        doc = lxml.etree.fromstring(extracted)
        title = inline(doc.get("title") or "")
        main = doc.find("main")
        if main is not None:
            sections = _sections_from_trafilatura(main)
    if len(sections) <= 1:
        # trafilatura found nothing, or flattened a small page into one block and lost its headings:
        # a plain walk of the body keeps them, and is preferred unless it is mostly page furniture.
        page = _html_tree(html)
        title = title or inline(page.findtext(".//title") or "")
        walked = _sections_from_page(page)
        if not sections or (len(walked) > 1 and _size(walked) <= 2 * _size(sections)):
            sections = walked
    if not sections:
        raise ParseError("No text could be extracted from this page")
    return ParsedDocument(title=title or fallback_title or url or "Web page", sections=sections, kind="html")


def _size(sections: list[Section]) -> int:
    return sum(len(section.text) for section in sections)


def _sections_from_trafilatura(main: lxml.etree._Element) -> list[Section]:
    outline = OutlineBuilder()
    outline.block(main.text or "")  # tiny pages come back as bare text in <main>
    for element in main:
        tag = element.tag
        if tag == "head":
            level = _HEADINGS.get(element.get("rend", ""), 2)
            outline.heading(level, _text(element))
        elif tag == "list":
            for item in element.findall("item"):  # nested lists stay inside their item's text
                outline.block("- " + _text(item), tight=True)
        elif tag == "table":
            rows = [[_text(cell) for cell in row.findall("cell")] for row in element.findall("row")]
            for index, line in enumerate(table_lines(rows)):
                outline.block(line, tight=index > 0)
        else:
            outline.block(_text(element))
        outline.block(element.tail or "")
    return outline.sections()


def _text(element: lxml.etree._Element) -> str:
    """Text of a trafilatura element, with its <lb/> line breaks."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in _TRAFILATURA_BLOCKS:
            parts.append("\n")
        parts.append("\n" if child.tag == "lb" else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _html_tree(html: str) -> lxml.html.HtmlElement:
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as error:
        raise ParseError("This page could not be read as HTML") from error


def _sections_from_page(page: lxml.html.HtmlElement) -> list[Section]:
    outline = OutlineBuilder()
    buffer: list[str] = []

    def flush(*, tight: bool = False) -> None:
        text = "".join(buffer).strip().removesuffix("|")
        buffer.clear()
        if text.strip():
            outline.block(text, tight=tight)

    def walk(element: lxml.html.HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""  # comments and PIs have no str tag
        if not tag or tag in _SKIPPED:
            return
        if tag in _HEADINGS:
            flush()
            outline.heading(_HEADINGS[tag], element.text_content())
            return
        is_block = tag in _BLOCKS
        if is_block:
            flush()
        if tag == "li":
            buffer.append("- ")
        elif tag == "br":
            buffer.append("\n")
        buffer.append(element.text or "")
        for child in element:
            walk(child)
            buffer.append(child.tail or "")
        if tag in ("td", "th"):
            buffer.append(" | ")
        if is_block:
            flush(tight=tag in ("li", "tr", "dd", "dt"))

    body = page.find("body")
    walk(body if body is not None else page)
    flush()
    return outline.sections()
