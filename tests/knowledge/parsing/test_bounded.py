"""The child-process parse: same result as in-process, and limits turn into readable errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from parley.knowledge.parsing import ParseError, parse_file, parse_file_bounded, warm_up

from .conftest import DOCS


@pytest.fixture(scope="module", autouse=True)
def fork_server() -> None:
    warm_up()


def test_same_result_as_in_process() -> None:
    path = DOCS / "word_sample.docx"
    assert parse_file_bounded(path, "docx", filename="Swim.docx") == parse_file(
        path, "docx", filename="Swim.docx"
    )


def test_parse_errors_come_back_with_their_reason(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ParseError, match="^The file is empty$"):
        parse_file_bounded(path, "pdf")


def test_timeout_kills_the_child_and_says_so() -> None:
    started = time.perf_counter()
    with pytest.raises(ParseError, match="took longer than 0.05 seconds"):
        parse_file_bounded(DOCS / "amt_handbook_sample.pdf", "pdf", timeout_s=0.05)
    assert time.perf_counter() - started < 5


def test_memory_limit(tmp_path: Path) -> None:
    # 40 MB of text needs far more than the 200 MB address space once decoded, cleaned and split.
    path = tmp_path / "big.txt"
    path.write_bytes(b"many words here\n" * 2_500_000)
    with pytest.raises(ParseError, match="MB of memory"):
        parse_file_bounded(path, "text", max_memory_mb=200)


def test_overhead_per_file_is_small(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text("Hello. A tiny file.")
    parse_file_bounded(path, "text")
    started = time.perf_counter()
    for _ in range(10):
        parse_file_bounded(path, "text")
    per_file = (time.perf_counter() - started) / 10
    assert per_file < 0.5  # ~20 ms measured on an idle 2-core machine; generous for busy CI
