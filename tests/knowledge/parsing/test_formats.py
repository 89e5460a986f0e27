"""Format details on small generated documents: Markdown, HTML fallback, DOCX styles, text, Q&A."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from parley.knowledge.parsing import ParseError, parse_file, parse_html, parse_qa_pairs, parse_text
from parley.knowledge.parsing.cleaning import clean_text
from parley.knowledge.parsing.markdown import parse_markdown


def test_markdown_structure() -> None:
    text = """---
title: front matter is not content
---
Intro line with a [link](https://example.org) and ![a logo](logo.png).

Setup
=====

Install **it** first.

```bash
# not a heading
pip install parley
```

## Requirements ##

| name | version |
|------|---------|
| python | 3.11 |

[ref]: https://example.org/ref

### Linux
Works.

# Usage
Run it.
"""
    doc = parse_markdown(text, "readme")
    assert doc.title == "Setup"  # the first level-1 heading
    assert [(s.location, s.heading) for s in doc.sections] == [
        ("start of document", None),
        ("Setup", "Setup"),
        ("Setup › Requirements", "Requirements"),
        ("Setup › Requirements › Linux", "Linux"),
        ("Usage", "Usage"),
    ]
    assert doc.sections[0].text == "Intro line with a link and a logo."
    assert "# not a heading\npip install parley" in doc.sections[1].text
    assert "Install it first." in doc.sections[1].text
    assert doc.sections[2].text == "| name | version |\n| python | 3.11 |"


def test_html_fallback_keeps_headings_of_a_small_page() -> None:
    page = """<html><head><title>Opening hours</title><script>var x = 1;</script></head><body>
    <nav><a href="/">Home</a> <a href="/shop">Shop</a></nav>
    <h2>Weekdays</h2><ul><li>Mon–Fri 9:00–17:00</li><li>Lunch break 12:00–13:00</li></ul>
    <h2>Contact</h2><p>Call us<br>or write.</p>
    <table><tr><th>Day</th><th>Hours</th></tr><tr><td>Sat</td><td>closed</td></tr></table>
    </body></html>"""
    doc = parse_html(page, "https://shop.example/hours")
    assert doc.title == "Opening hours"
    assert [s.location for s in doc.sections] == ["Weekdays", "Contact"]
    assert doc.sections[0].text == "- Mon–Fri 9:00–17:00\n- Lunch break 12:00–13:00"
    assert "Call us\nor write." in doc.sections[1].text
    assert "Home" not in doc.sections[0].text and "var x" not in doc.sections[0].text


def test_html_with_no_text() -> None:
    with pytest.raises(ParseError, match="No text could be extracted"):
        parse_html("<html><body><script>1</script><img src=a.png></body></html>", None)


def test_docx_heading_styles_lists_and_merged_cells(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Staff handbook"
    document.add_paragraph("Welcome aboard.")
    document.add_heading("Leave", level=1)
    document.add_paragraph("Ask your manager.")
    document.add_paragraph("Fill the form", style="List Number")
    document.add_heading("Sick leave", level=2)
    table = document.add_table(rows=3, cols=3)
    for cell, value in zip(table.rows[0].cells, ["Days", "Paid", "Note"], strict=True):
        cell.text = value
    for cell, value in zip(table.rows[1].cells, ["1-3", "yes", "no note needed"], strict=True):
        cell.text = value
    merged = table.cell(2, 1).merge(table.cell(2, 2))
    table.cell(2, 0).text, merged.text = "4+", "ask HR"
    document.add_heading("Travel", level=1)
    document.add_paragraph("Book early.")
    path = tmp_path / "handbook.docx"
    document.save(str(path))

    doc = parse_file(path, "docx")
    assert doc.title == "Staff handbook"
    assert [(s.location, s.heading) for s in doc.sections] == [
        ("start of document", None),
        ("Leave", "Leave"),
        ("Leave › Sick leave", "Sick leave"),
        ("Travel", "Travel"),
    ]
    assert doc.sections[1].text == "Ask your manager.\n- Fill the form"
    assert doc.sections[2].text == "Days: 1-3; Paid: yes; Note: no note needed\nDays: 4+; Paid: ask HR"


def test_plain_text_sections_carry_line_numbers() -> None:
    paragraph = "A line of text that goes on for a while to fill the section up. " * 10
    text = "\n\n".join(f"Part {n}. {paragraph}" for n in range(12))
    doc = parse_text(text, "notes")
    assert doc.kind == "text" and doc.title == "notes"
    assert [s.location for s in doc.sections] == ["lines 1–7", "lines 9–15", "lines 17–23"]
    assert doc.sections[1].text.startswith("Part 4.")


def test_typed_text_that_is_empty() -> None:
    with pytest.raises(ParseError, match="The text is empty"):
        parse_text(" \n\x00\n ", "typed")


def test_qa_pairs() -> None:
    doc = parse_qa_pairs(
        [("When are you open?", "Mon–Fri, 9 to 5."), ("", "orphan answer"), ("Parking?", "Yes")]
    )
    assert doc.kind == "qa"
    assert [(s.location, s.heading, s.text) for s in doc.sections] == [
        ("Q&A 1", "When are you open?", "Q: When are you open?\nA: Mon–Fri, 9 to 5."),
        ("Q&A 3", "Parking?", "Q: Parking?\nA: Yes"),
    ]
    with pytest.raises(ParseError):
        parse_qa_pairs([("only a question", " ")])


def test_cleaning_rejoins_hyphenated_line_ends() -> None:
    text = "The construc-\ntion of a load-\ncarrying nut.\nEvery load-carrying part   counts.\u00a0Done"
    assert (
        clean_text(text) == "The construction of a load-carrying nut.\nEvery load-carrying part counts. Done"
    )
