"""Word error rate and its normaliser."""

from __future__ import annotations

import pytest

from parley.voice.wer import normalize, number_to_words, word_error_rate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Go forward 10 meters.", "go forward ten meters"),
        ("And Mr. John Dashwood had", "and mister john dashwood had"),
        ("rather cold-hearted, and ill-disposed!", "rather cold hearted and ill disposed"),
        (
            "It's 3.5% of 1,200 on the 21st",
            "it's three point five percent of one thousand two hundred on the twenty first",
        ),
        ('"Don\'t," she said', "don't she said"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_number_to_words() -> None:
    assert number_to_words(0) == "zero"
    assert number_to_words(115) == "one hundred fifteen"
    assert number_to_words(2_000_019) == "two million nineteen"


def test_word_error_rate() -> None:
    assert word_error_rate("go forward ten meters", "Go forward 10 meters.") == 0.0
    assert (
        word_error_rate("he was not an ill disposed young man", "He was not an old-sposed young man.") == 0.25
    )
    assert word_error_rate(["a b c d", "e f"], ["a b c", "e f g"]) == pytest.approx(2 / 6)
    assert word_error_rate("", "") == 0.0
