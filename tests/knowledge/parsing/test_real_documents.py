"""The real sample documents come out as located sections and chunks with the right text."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.knowledge.parsing import (
    ParsedDocument,
    chunk_document,
    detect_kind,
    estimate_tokens,
    parse_file,
    parse_html,
)

from .conftest import DOCS, words


def parse(name: str) -> ParsedDocument:
    path = DOCS / name
    kind = detect_kind(name, path.read_bytes()[:4096], None)
    assert kind is not None
    return parse_file(path, kind)


def expected(name: str) -> str:
    return (DOCS / "expected_md" / f"{name}.md").read_text()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_has_page_locations_and_the_handbook_text() -> None:
    doc = parse("amt_handbook_sample.pdf")
    assert doc.kind == "pdf"
    assert doc.title == "AMT General Handbook"
    assert [(s.location, s.page) for s in doc.sections] == [("page 1", 1)]
    text = doc.sections[0].text
    assert "The Boots self-locking nut is of one piece" in text  # the drop cap "T" is glued back on
    assert "load-carrying section" in text  # a real compound keeps its hyphen
    assert "7-45" not in text  # the running page number is dropped
    assert "\nBoots Self-Locking Nut\n" in text  # a heading line stands as its own paragraph
    # Nearly every word docling extracts is in ours (theirs drops the figure labels we keep).
    reference = words(expected("amt_handbook_sample.pdf"))
    assert len(reference & words(text)) / len(reference) > 0.97
    chunks = chunk_document(doc)
    assert len(chunks) >= 3
    assert all(chunk.page == 1 and chunk.location == "page 1" for chunk in chunks)


def test_docx_headings_become_locations_and_tables_become_rows() -> None:
    doc = parse("word_sample.docx")
    assert doc.kind == "docx"
    assert doc.title == "Swimming in the lake"
    locations = [section.location for section in doc.sections]
    assert locations == ["start of document", "Let’s swim!", "Let’s swim! › Let’s eat"]
    eat = doc.sections[2]
    assert eat.heading == "Let’s eat"
    assert "Leaves; Food: Ash, Elm, Maple; Calories per portion: 50" in eat.text
    assert "- Use sun cream" in doc.sections[1].text
    reference = words(expected("word_sample.docx"))
    assert (
        len(reference & words(" ".join(locations + [s.text for s in doc.sections]))) / len(reference) > 0.95
    )
    chunks = chunk_document(doc)
    assert [chunk.heading for chunk in chunks] == [None, "Let’s swim!", "Let’s eat"]


def test_html_keeps_the_article_and_its_heading_path() -> None:
    html = (DOCS / "wiki_duck.html").read_text()
    doc = parse_html(html, "https://en.wikipedia.org/wiki/Duck")
    assert doc.kind == "html"
    assert doc.title.startswith("Duck")
    by_location = {section.location: section for section in doc.sections}
    assert "Duck › Behaviour › Feeding" in by_location
    assert "Dabbling ducks feed on the surface of water" in by_location["Duck › Behaviour › Feeding"].text
    assert "Domain: Eukaryota" in by_location["Duck"].text  # the infobox table, as rows
    text = " ".join(section.text for section in doc.sections)
    assert "136 languages" not in text and "move to sidebar" not in text  # page furniture is gone
    # What we keep is article text: almost all of its words are in docling's conversion too.
    ours, reference = words(text), words(expected("wiki_duck.html"))
    assert len(ours & reference) / len(ours) > 0.97


def test_markdown_headings_become_the_location_path() -> None:
    doc = parse("wiki_ibm.md")
    assert doc.kind == "markdown" and doc.title == "IBM"
    assert [section.location for section in doc.sections] == ["IBM", "IBM › 1910s–1950s", "IBM › 1960s–1980s"]
    assert "nicknamed Big Blue" in doc.sections[0].text


@pytest.mark.parametrize(
    "name", ["amt_handbook_sample.pdf", "word_sample.docx", "wiki_duck.html", "wiki_ibm.md"]
)
def test_chunks_stay_inside_one_section_and_within_size(name: str) -> None:
    doc = parse(name)
    chunks = chunk_document(doc, max_tokens=128, overlap_tokens=16)
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))
    sections_text = {section.location: flat(section.text) for section in doc.sections}
    for chunk in chunks:
        assert estimate_tokens(chunk.text) <= 128
        assert chunk.text == chunk.text.strip() and chunk.text
        # Never mixes two sections: every chunk is a passage of the one section it names.
        assert flat(chunk.text) in sections_text[chunk.location]
    covered = {word for chunk in chunks for word in words(chunk.text)}
    assert covered == words(" ".join(section.text for section in doc.sections))


def test_chunking_is_deterministic(tmp_path: Path) -> None:
    copy = tmp_path / "again.pdf"
    copy.write_bytes((DOCS / "amt_handbook_sample.pdf").read_bytes())
    first = chunk_document(parse("amt_handbook_sample.pdf"))
    second = chunk_document(parse_file(copy, "pdf"))
    assert first == second
