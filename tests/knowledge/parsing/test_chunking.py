from __future__ import annotations

import itertools

import pytest

from parley.knowledge.parsing import ParsedDocument, Section, chunk_document, estimate_tokens
from parley.knowledge.parsing.chunking import chunk_text, sentences

SENTENCE = "The quick brown fox jumps over the lazy dog near the river bank."  # 14 tokens


def paragraph(count: int, tag: str) -> str:
    return " ".join(f"{tag} sentence {n}: {SENTENCE}" for n in range(count))


def test_short_section_is_one_chunk_with_its_metadata() -> None:
    doc = ParsedDocument(
        title="t",
        sections=[Section("Hello there. Short text.", "page 2", page=2, heading="Intro")],
        kind="pdf",
    )
    [chunk] = chunk_document(doc)
    assert (chunk.text, chunk.location, chunk.page, chunk.heading, chunk.ordinal) == (
        "Hello there. Short text.",
        "page 2",
        2,
        "Intro",
        0,
    )


def test_sections_are_never_mixed_and_ordinals_run_across_them() -> None:
    doc = ParsedDocument(
        title="t",
        sections=[
            Section(paragraph(30, "Alpha"), "A"),
            Section("", "empty"),
            Section(paragraph(30, "Beta"), "B"),
        ],
    )
    chunks = chunk_document(doc, max_tokens=100, overlap_tokens=10)
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))
    assert {chunk.location for chunk in chunks} == {"A", "B"}
    for chunk in chunks:
        assert ("Alpha" in chunk.text) != ("Beta" in chunk.text)
        assert ("Alpha" in chunk.text) == (chunk.location == "A")
        assert estimate_tokens(chunk.text) <= 100


def test_long_paragraph_is_cut_at_sentence_ends_with_overlap() -> None:
    chunks = chunk_text(paragraph(40, "Part"), max_tokens=120, overlap_tokens=30)
    assert len(chunks) > 5
    for before, after in itertools.pairwise(chunks):
        assert before.endswith("bank.")  # cut at a sentence end
        assert after.startswith("Part sentence")  # and the next chunk starts with a whole sentence
        first_sentence = sentences(after)[0]
        assert before.endswith(first_sentence)  # which repeats the end of the previous chunk
        assert estimate_tokens(first_sentence) <= 30


def test_paragraphs_are_kept_whole_when_they_fit() -> None:
    text = "\n\n".join(paragraph(3, f"Para{n}") for n in range(6))  # ~57 tokens each
    chunks = chunk_text(text, max_tokens=128, overlap_tokens=0)
    for chunk in chunks:
        for part in chunk.split("\n\n"):
            assert part.startswith("Para") and part.endswith("bank.")


def test_the_last_chunk_is_not_a_scrap() -> None:
    text = "\n\n".join(paragraph(2, f"Para{n}") for n in range(5))  # 5 paragraphs of ~38 tokens
    sizes = [estimate_tokens(chunk) for chunk in chunk_text(text, max_tokens=160, overlap_tokens=0)]
    assert len(sizes) == 2 and min(sizes) > 60


def test_text_without_any_boundary_is_cut_into_bounded_windows() -> None:
    url = "https://example.org/" + "a1b2c3" * 3000
    chunks = chunk_text(f"See {url} now.", max_tokens=64, overlap_tokens=8)
    assert len(chunks) > 10
    assert all(estimate_tokens(chunk) <= 64 for chunk in chunks)
    assert "".join(chunks[0].split()).startswith("Seehttps")


def test_overlap_of_the_last_words_when_no_sentence_fits() -> None:
    words = " ".join(f"word{n}" for n in range(400))  # one endless sentence
    chunks = chunk_text(words, max_tokens=100, overlap_tokens=20)
    for before, after in itertools.pairwise(chunks):
        first_word = after.split()[0]
        assert first_word in before.split()  # starts on a whole word repeated from the previous chunk
        assert estimate_tokens(after) <= 100


def test_deterministic() -> None:
    text = "\n\n".join(paragraph(7, f"P{n}") for n in range(9))
    assert chunk_text(text, max_tokens=90, overlap_tokens=15) == chunk_text(
        text, max_tokens=90, overlap_tokens=15
    )


def test_sentence_splitting_spares_abbreviations_and_initials() -> None:
    text = "Thomas J. Watson joined CTR. It grew, e.g. in Europe.[5][6] See Fig. 3! 日本語です。次の文。"
    assert sentences(text) == [
        "Thomas J. Watson joined CTR.",
        "It grew, e.g. in Europe.[5][6]",
        "See Fig. 3!",
        "日本語です。",
        "次の文。",
    ]


def test_token_estimate_is_close_to_wordpiece() -> None:
    # 12 words; all-MiniLM-L6-v2's WordPiece tokenizer gives 16 tokens for this sentence.
    assert 13 <= estimate_tokens("The cross-sectional view in Figure 7-27 shows how the key fits.") <= 18


@pytest.mark.parametrize(("max_tokens", "overlap"), [(4, 0), (64, 32), (64, -1)])
def test_bad_settings_are_refused(max_tokens: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        chunk_document(
            ParsedDocument("t", [Section("x", "y")]), max_tokens=max_tokens, overlap_tokens=overlap
        )
