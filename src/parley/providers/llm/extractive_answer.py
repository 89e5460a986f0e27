"""Compose a short cited answer from retrieved passages, without a language model.

The answer is made of the passage sentences that share the most words with the
question, kept in reading order and followed by a citation marker `[n]`, where `n`
is the passage's 1-based position in the search artifact (the same number as the
`<document id="n">` the search tool shows to real LLMs).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Small English stop list: enough to keep "what is the" from matching every sentence.
STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be been before being below between both
    but by can could did do does doing down during each few for from further had has have having he her here
    hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or
    other our ours out over own please same she should so some such than that the their them then there these
    they this those through to too under until up very was we were what when where which while who whom why
    will with would you your yours tell know need want like much many get got give thanks thank hi hello hey
    ok okay yes yeah""".split()  # noqa: SIM905 - a word list reads better as prose
)

MAX_SENTENCE_CHARS = 300
MIN_SENTENCE_WORDS = 4
MAX_PASSAGES = 3

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“(\[]?[A-Z0-9])")
_BULLET = re.compile(r"^\s*(?:[-*•#>]+|\d+[.)])\s*")
# The source's own reference marks ("[12]", "[a]", "[citation needed]"): quoted as they are, they
# would read as our citations of other passages.
_SOURCE_MARK = re.compile(r"\s*\[(?:\d{1,3}|[a-z]|note \d+|citation needed|clarification needed)\]", re.I)
# A chunk that starts mid-sentence (after a cut or an overlap) opens with a lower-case fragment.
FRAGMENT_PENALTY = 1.0


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """Crude suffix stripping so that "refunds", "refunded" and "refund" meet."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    """Words that carry meaning, in order, without duplicates."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


def terms(text: str) -> set[str]:
    return {stem(word) for word in content_words(text)}


def split_sentences(text: str) -> list[str]:
    """Split a passage into sentences; lines (bullets, table rows) count as sentence breaks."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = _SOURCE_MARK.sub("", _BULLET.sub("", " ".join(line.split())))
        sentences.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return sentences


@dataclass(frozen=True)
class _Candidate:
    citation: int  # 1-based position of the passage in the artifact
    rank: int  # 0 for the best passage
    position: int  # index of the sentence inside its passage
    text: str
    overlap: int
    score: float


def compose_answer(
    question: str,
    passages: Sequence[Mapping[str, Any]],
    *,
    min_relevance: float,
    max_sentences: int,
) -> str | None:
    """Return 1..max_sentences cited sentences, or None when retrieval is too weak to answer."""
    relevant = [(n, p) for n, p in enumerate(passages, start=1) if _score(p) >= min_relevance]
    ranked = sorted(relevant, key=lambda item: -_score(item[1]))[:MAX_PASSAGES]
    question_terms = terms(question)
    by_passage = [_candidates(n, rank, p, question_terms) for rank, (n, p) in enumerate(ranked)]
    pool = [c for candidates in by_passage for c in candidates]
    if not pool:
        return None
    best_first = sorted(pool, key=lambda c: (-c.score, c.rank, c.position))
    chosen = [c for c in best_first if c.overlap][:max_sentences]
    if not chosen:
        # Retrieval judged the passage relevant without shared words (a semantic match): lead with it.
        chosen = by_passage[0][: min(2, max_sentences)] or [pool[0]]
    if len(chosen) < min(2, max_sentences):
        chosen += _neighbour(chosen[0], by_passage[chosen[0].rank])
    return _render(sorted(chosen, key=lambda c: (c.rank, c.position)))


def _score(passage: Mapping[str, Any]) -> float:
    try:
        return float(passage.get("score") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def _candidates(
    number: int, rank: int, passage: Mapping[str, Any], question_terms: set[str]
) -> list[_Candidate]:
    sentences = split_sentences(str(passage.get("text") or ""))
    long_enough = [s for s in sentences if len(words(s)) >= MIN_SENTENCE_WORDS] or sentences
    candidates = []
    for position, sentence in enumerate(long_enough):
        overlap = len(question_terms & terms(sentence))
        # Shared words first; the passage's retrieval score and rank break ties; fragments last.
        score = overlap + 0.5 * _score(passage) - 0.1 * rank - (FRAGMENT_PENALTY if _fragment(sentence) else 0)
        candidates.append(_Candidate(number, rank, position, sentence, overlap, score))
    return candidates


def _fragment(sentence: str) -> bool:
    return sentence[:1].islower()


def _neighbour(sentence: _Candidate, siblings: list[_Candidate]) -> list[_Candidate]:
    """The sentence after (or else before) `sentence`, to give a lone sentence some context."""
    for position in (sentence.position + 1, sentence.position - 1):
        if 0 <= position < len(siblings):
            return [siblings[position]]
    return []


def _render(sentences: list[_Candidate]) -> str:
    parts: list[str] = []
    for i, sentence in enumerate(sentences):
        text = _shorten(sentence.text)
        last_of_passage = i + 1 == len(sentences) or sentences[i + 1].citation != sentence.citation
        parts.append(_cite(text, sentence.citation) if last_of_passage else _end(text))
    return " ".join(parts)


def _shorten(text: str) -> str:
    if len(text) <= MAX_SENTENCE_CHARS:
        return text
    return text[:MAX_SENTENCE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _end(text: str) -> str:
    return text if text[-1] in ".!?…" else text + "."


def _cite(text: str, citation: int) -> str:
    """Put the marker before the final punctuation: "... within 30 days [1]."."""
    text = _end(text)
    if text[-1] in ".!?":
        return f"{text[:-1]} [{citation}]{text[-1]}"
    return f"{text} [{citation}]"
