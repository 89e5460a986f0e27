"""Word error rate with a small English normaliser, for tests and benchmarks.

Whisper writes "Mr. Dashwood ... 10 meters."; references are often "mister
dashwood ... ten meters". Both sides are normalised the same way: lower case,
numbers spelled out, common titles expanded, punctuation and hyphens removed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# fmt: off
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"))
_ORDINALS = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
    "nine": "ninth", "twelve": "twelfth",
}
_TITLES = {"mr": "mister", "mrs": "missus", "dr": "doctor", "prof": "professor", "st": "saint"}
# fmt: on

_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*)(?:\.(\d+))?(st|nd|rd|th)?(?![\d])")


def number_to_words(n: int) -> str:
    if n < 0:
        return "minus " + number_to_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (" " + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + (" " + number_to_words(rest) if rest else "")
    for scale, name in _SCALES:
        if n >= scale:
            head, rest = divmod(n, scale)
            return number_to_words(head) + " " + name + (" " + number_to_words(rest) if rest else "")
    raise AssertionError("unreachable")


def _ordinal(words: str) -> str:
    *head, last = words.split()
    if last in _ORDINALS:
        last = _ORDINALS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return " ".join([*head, last])


def _spell_number(match: re.Match[str]) -> str:
    integer, fraction, suffix = match.group(1).replace(",", ""), match.group(2), match.group(3)
    words = number_to_words(int(integer))
    if fraction:
        words += " point " + " ".join(_ONES[int(d)] for d in fraction)
    elif suffix:
        words = _ordinal(words)
    return f" {words} "


def normalize(text: str) -> str:
    """Lower case, numbers spelled out, titles expanded, no punctuation."""
    text = text.lower().replace("’", "'").replace("&", " and ").replace("%", " percent ")
    text = _NUMBER.sub(_spell_number, text)
    text = re.sub(r"\b(" + "|".join(_TITLES) + r")\b\.?", lambda m: _TITLES[m.group(1)], text)
    text = re.sub(r"[^\w\s']|_", " ", text)  # hyphens and punctuation become spaces
    text = re.sub(r"(?<!\w)'|'(?!\w)", " ", text)  # quotes, but not "don't"
    return " ".join(text.split())


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance over words (substitutions + deletions + insertions)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, 1):
        current = [i]
        for j, hyp_word in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word)))
        previous = current
    return previous[-1]


def word_error_rate(references: str | Sequence[str], hypotheses: str | Sequence[str]) -> float:
    """Corpus WER: all word errors over all reference words, after normalize()."""
    refs = [references] if isinstance(references, str) else list(references)
    hyps = [hypotheses] if isinstance(hypotheses, str) else list(hypotheses)
    if len(refs) != len(hyps):
        raise ValueError("need one hypothesis per reference")
    errors = words = 0
    for ref, hyp in zip(refs, hyps, strict=True):
        ref_words, hyp_words = normalize(ref).split(), normalize(hyp).split()
        errors += edit_distance(ref_words, hyp_words)
        words += len(ref_words)
    return errors / max(words, 1)
