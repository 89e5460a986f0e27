"""Hostile, broken and odd inputs give a ParseError in plain words, never a crash."""

from __future__ import annotations

import struct
import time
import zipfile
from pathlib import Path

import pypdf
import pytest

from parley.knowledge.parsing import ParseError, ParseLimits, chunk_document, detect_kind, parse_file

from .conftest import DOCS, make_pdf


def reason_for(path: Path, kind: str, **options: object) -> str:
    with pytest.raises(ParseError) as caught:
        parse_file(path, kind, **options)  # type: ignore[arg-type]
    return caught.value.reason


@pytest.mark.parametrize("kind", ["pdf", "docx", "html", "markdown", "text", "csv"])
def test_empty_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "empty"
    path.write_bytes(b"")
    assert reason_for(path, kind) == "The file is empty"


def test_blank_text_file_counts_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n\t \n")
    assert reason_for(path, "text") == "The file is empty"


def encrypted_copy(tmp_path: Path, user_password: str) -> Path:
    writer = pypdf.PdfWriter(clone_from=DOCS / "amt_handbook_sample.pdf")
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    path = tmp_path / "locked.pdf"
    with path.open("wb") as file:
        writer.write(file)
    return path


def test_password_protected_pdf(tmp_path: Path) -> None:
    path = encrypted_copy(tmp_path, user_password="secret")
    assert reason_for(path, "pdf") == "This PDF is encrypted (password protected)"


def test_pdf_encrypted_only_against_editing_still_reads(tmp_path: Path) -> None:
    doc = parse_file(encrypted_copy(tmp_path, user_password=""), "pdf")
    assert "Boots self-locking nut" in doc.sections[0].text


@pytest.mark.parametrize("keep", [10, 5000, 336_708])
def test_truncated_pdf(tmp_path: Path, keep: int) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes((DOCS / "amt_handbook_sample.pdf").read_bytes()[:keep])
    assert reason_for(path, "pdf") == "This PDF is damaged or not a PDF"


def test_pdf_named_file_that_is_text(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text("just some words")
    assert detect_kind("report.pdf", path.read_bytes(), "application/pdf") == "pdf"
    assert reason_for(path, "pdf") == "This PDF is damaged or not a PDF"


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as file:
        writer.write(file)
    assert reason_for(path, "pdf") == "No text could be extracted (is it a scanned image?)"


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_text("I am plain text wearing a .docx name")
    assert detect_kind("report.docx", path.read_bytes(), None) == "docx"
    assert reason_for(path, "docx") == "This .docx file is not a valid Word document"


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert reason_for(path, "docx") == "This .docx file is not a valid Word document"


def docx_with_extra(tmp_path: Path, entries: dict[str, bytes]) -> Path:
    """The real sample DOCX plus extra zip entries."""
    path = tmp_path / "bomb.docx"
    with (
        zipfile.ZipFile(DOCS / "word_sample.docx") as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        for name, data in entries.items():
            target.writestr(name, data)
    return path


def test_zip_bomb_docx_is_refused_before_expanding(tmp_path: Path) -> None:
    path = docx_with_extra(tmp_path, {"word/media/zeros.bin": bytes(30 * 1024 * 1024)})
    assert path.stat().st_size < 200_000  # 30 MB of zeros squeeze into a small upload
    reason = reason_for(path, "docx", limits=ParseLimits(max_expanded_mb=20))
    assert reason == "The document expands to more than 20 MB (possible decompression bomb)"


def test_zip_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    path = docx_with_extra(tmp_path, {f"junk/{index}.xml": b"" for index in range(300)})
    reason = reason_for(path, "docx", limits=ParseLimits(max_zip_entries=200))
    assert "possible decompression bomb" in reason


def test_zip_lying_about_its_sizes_cannot_expand(tmp_path: Path) -> None:
    path = docx_with_extra(tmp_path, {})
    name = b"word/document.xml"
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(name.decode()).header_offset
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
    # Claim word/document.xml holds 100 bytes, in its local header and in the central directory.
    struct.pack_into("<I", data, local + 22, 100)
    struct.pack_into("<I", data, central + 24, 100)
    path.write_bytes(bytes(data))
    assert reason_for(path, "docx") == "This .docx file is not a valid Word document"


def test_legacy_or_encrypted_word_file(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert detect_kind("old.docx", path.read_bytes(), None) == "docx"
    assert detect_kind("old.doc", path.read_bytes(), None) is None
    assert "password protected or in the old .doc format" in reason_for(path, "docx")


def test_csv_rows_become_header_aware_sections(tmp_path: Path) -> None:
    rows = ["name,city,note"] + [f'Person {n},"Town {n}, Region","likes ducks"' for n in range(1, 46)]
    rows[3] = "Ada,London,"  # an empty value is skipped
    path = tmp_path / "people.csv"
    path.write_text("\n".join(rows) + "\n")
    doc = parse_file(path, "csv")
    assert doc.kind == "csv" and doc.title == "people"
    assert [section.location for section in doc.sections] == ["rows 1–20", "rows 21–40", "rows 41–45"]
    first = doc.sections[0].text.split("\n")
    assert first[0] == "name: Person 1; city: Town 1, Region; note: likes ducks"
    assert first[2] == "name: Ada; city: London"
    assert all(chunk.location.startswith("rows") for chunk in chunk_document(doc))


def test_semicolon_csv_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_bytes("\ufeffitem;price\nCafé;3,50\nTea;2,00\n".encode("utf-8"))
    doc = parse_file(path, "csv")
    assert doc.sections[0].text == "item: Café; price: 3,50\nitem: Tea; price: 2,00"


def test_csv_with_only_a_header(tmp_path: Path) -> None:
    path = tmp_path / "head.csv"
    path.write_text("a,b,c\n")
    assert reason_for(path, "csv") == "The CSV file has a header but no rows"


def test_huge_single_line_text_is_chunked_quickly(tmp_path: Path) -> None:
    path = tmp_path / "one-line.txt"
    path.write_text("lorem ipsum dolor sit amet " * 120_000 + "x" * 200_000)  # ~3.4 MB, no line break
    started = time.perf_counter()
    doc = parse_file(path, "text")
    chunks = chunk_document(doc)
    assert time.perf_counter() - started < 20
    assert [section.location for section in doc.sections] == ["line 1"]
    assert len(chunks) > 2000
    assert max(len(chunk.text) for chunk in chunks) < 3000


def test_text_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a " * (1024 * 1024))
    assert reason_for(path, "text", limits=ParseLimits(max_text_mb=1)) == "The file is larger than 1 MB"


def test_control_characters_and_nuls_are_stripped(tmp_path: Path) -> None:
    path = tmp_path / "dirty.txt"
    path.write_bytes(b"Hello\x00 wor\x07ld\r\nsoft\xc2\xadhyphen \xef\xac\x81ne\x0c\n")
    doc = parse_file(path, "text")
    assert doc.sections[0].text == "Hello world\nsofthyphen fine"


def test_windows_1252_text(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\u00e9 cr\u00e8me \u2013 20\u20ac".encode("cp1252"))
    assert parse_file(path, "text").sections[0].text == "Café crème – 20€"


def test_binary_upload_is_unsupported() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    assert detect_kind("photo.txt", png, "text/plain") is None
    assert detect_kind("data.zip", b"PK\x03\x04rest", "application/zip") is None


def test_multi_page_pdf_drops_running_header_and_page_numbers(tmp_path: Path) -> None:
    topics = ["pumps", "valves", "filters", "seals"]
    pages = [
        [
            "ACME Service Manual - Chapter 2",
            f"This page explains {topic} and how to check them during con-",
            "struction, with a load-carrying frame under every unit.",
            f"Each of the {topic} is inspected every year.",
            f"{number}",
        ]
        for number, topic in enumerate(topics, start=1)
    ]
    path = tmp_path / "manual.pdf"
    path.write_bytes(make_pdf(pages))
    doc = parse_file(path, "pdf", filename="ACME manual.pdf")
    assert doc.title == "ACME manual"
    assert [(s.location, s.page) for s in doc.sections] == [(f"page {n}", n) for n in range(1, 5)]
    assert doc.sections[1].text == (
        "This page explains valves and how to check them during construction, "
        "with a load-carrying frame under every unit. Each of the valves is inspected every year."
    )
    chunks = chunk_document(doc)
    assert [chunk.page for chunk in chunks] == [1, 2, 3, 4]
