"""Split streaming text (LLM token deltas) into sentences for speech synthesis.

A sentence is emitted as soon as its end is certain: after terminal punctuation,
whitespace and the first character of the next sentence (so "Dr. Smith",
"e.g. this", "3.14" and "1. First" do not split), or at a line break. A run
without any boundary is cut at `max_chars` (at a comma if possible) so that the
first audio is never held back by one endless sentence.
"""

from __future__ import annotations

import re

# fmt: off
# "Mr. Smith": never a sentence end when the next word is capitalised.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "rev", "gen", "sen", "rep", "gov",
    "capt", "lt", "col", "sgt", "vs", "e.g", "i.e", "cf", "approx", "dept", "inc", "ltd", "co",
    "corp", "u.s", "u.k", "ft", "hon",
}
# "No. 5", "Jan. 3", "p. 12": an abbreviation only before a number.
_ABBREVIATIONS_BEFORE_NUMBER = {
    "no", "nos", "vol", "p", "pp", "fig", "ch", "sec", "art", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec",
}
# fmt: on
_CANDIDATE = re.compile(r"(?P<newline>\n)|(?P<stop>[.!?…]+[\"')\]”’»]*)")
_SOFT_BREAK = re.compile(r"[,;:—–](?=\s)")


class SentenceSplitter:
    """Incremental splitter: push() text deltas, get the sentences they complete."""

    def __init__(self, *, max_chars: int = 250) -> None:
        self.max_chars = max_chars
        self._buffer = ""

    def push(self, delta: str) -> list[str]:
        self._buffer += delta
        return self._drain(final=False)

    def flush(self) -> list[str]:
        """End of text: everything still held back."""
        sentences = self._drain(final=True)
        rest = self._buffer.strip()
        self._buffer = ""
        return [*sentences, rest] if rest else sentences

    def _drain(self, *, final: bool) -> list[str]:
        sentences: list[str] = []
        while True:
            end = _find_boundary(self._buffer, final=final)
            if end is None and len(self._buffer) > self.max_chars:
                end = _soft_cut(self._buffer, self.max_chars)
            if end is None:
                return sentences
            sentence, self._buffer = self._buffer[:end].strip(), self._buffer[end:]
            if sentence:
                sentences.append(sentence)


def split_sentences(text: str, *, max_chars: int = 250) -> list[str]:
    """All sentences of a complete text."""
    splitter = SentenceSplitter(max_chars=max_chars)
    return [*splitter.push(text), *splitter.flush()]


def _find_boundary(buffer: str, *, final: bool) -> int | None:
    """Index just past the first sentence that is certainly complete, or None."""
    for match in _CANDIDATE.finditer(buffer):
        before = buffer[: match.start()]
        if match.group("newline"):
            if before.strip():
                return match.start()
            continue
        rest = buffer[match.end() :]
        if rest and not rest[0].isspace():
            continue  # "3.14", "example.com", "U.S.A"
        if rest and ("!" in match.group("stop") or "?" in match.group("stop")):
            return match.end()  # certain without seeing the next word
        following = rest.lstrip()
        if not following:
            return match.end() if final else None  # wait for the next word to decide
        if _ends_sentence(before, match.group("stop"), following[0]):
            return match.end()
    return None


def _ends_sentence(before: str, stop: str, next_char: str) -> bool:
    if "!" in stop or "?" in stop:
        return True
    if next_char.islower():
        return False  # "e.g. this", "... and then"
    if stop.startswith(("..", "…")):
        return True
    words = before.split()
    if not words:
        return False
    word = words[-1].lstrip("(\"'“‘«")
    lowered = word.lower()
    if lowered in _ABBREVIATIONS:
        return False
    if lowered in _ABBREVIATIONS_BEFORE_NUMBER and next_char.isdigit():
        return False
    if len(word) == 1 and word.isupper() and word != "I":
        return False  # an initial: "J. R. R. Tolkien"
    return not (len(words) == 1 and word.isdigit())  # "1. First" is a list number


def _soft_cut(buffer: str, max_chars: int) -> int:
    head = buffer[:max_chars]
    breaks = [m.end() for m in _SOFT_BREAK.finditer(head) if m.end() > max_chars // 3]
    if breaks:
        return breaks[-1]
    space = head.rfind(" ")
    return space if space > max_chars // 3 else max_chars
