"""Sentence splitting of complete and streamed text."""

from __future__ import annotations

import pytest

from parley.voice.sentences import SentenceSplitter, split_sentences

ANSWER = (
    "Hello there! Mr. Smith paid $3.50, e.g. for coffee. It was 5 p.m. Then J. R. R. Tolkien "
    'wrote "The Hobbit." Did he? Yes... I think so.\nSteps:\n1. Open the app.\n2. Tap Save. '
    "Room No. 5 is free. I said no. Fine"
)
SENTENCES = [
    "Hello there!",
    "Mr. Smith paid $3.50, e.g. for coffee.",
    "It was 5 p.m.",
    'Then J. R. R. Tolkien wrote "The Hobbit."',
    "Did he?",
    "Yes...",
    "I think so.",
    "Steps:",
    "1. Open the app.",
    "2. Tap Save.",
    "Room No. 5 is free.",
    "I said no.",
    "Fine",
]


def test_splits_a_complete_text() -> None:
    assert split_sentences(ANSWER) == SENTENCES


@pytest.mark.parametrize("delta_size", [1, 3, 7, 1000])
def test_streamed_deltas_give_the_same_sentences(delta_size: int) -> None:
    splitter = SentenceSplitter()
    out: list[str] = []
    for start in range(0, len(ANSWER), delta_size):
        out += splitter.push(ANSWER[start : start + delta_size])
    assert out + splitter.flush() == SENTENCES


def test_emits_a_sentence_as_soon_as_its_end_is_certain() -> None:
    splitter = SentenceSplitter()
    assert splitter.push("The price is 3.") == []  # could be 3.5
    assert splitter.push("5 euros.") == []  # could be "euros.)" or the next sentence may start lower case
    assert splitter.push(" Next") == ["The price is 3.5 euros."]
    assert splitter.push(" question? ") == ["Next question?"]  # ? needs no look-ahead
    assert splitter.flush() == []


def test_cuts_a_run_on_sentence_at_a_comma() -> None:
    text = "We support many audio formats for uploads and playback, " + "including " * 30 + "wav and mp3"
    parts = split_sentences(text, max_chars=120)
    assert all(len(p) <= 120 for p in parts)
    assert parts[0] == "We support many audio formats for uploads and playback,"
    assert " ".join(parts).split() == text.split()


def test_ignores_empty_and_whitespace() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n\n ") == []
    assert split_sentences("One.\n\n\nTwo.") == ["One.", "Two."]
