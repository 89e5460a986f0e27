"""Text clean-up shared by every format: control characters, whitespace, hyphenation."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 control characters except tab and newline (those are whitespace we normalise below),
# private-use code points (symbol-font garbage from PDFs) and invisible formatting characters.
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\u00ad\u200b-\u200d\u2060\ufeff]")
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but newline, including NBSP and friends
_MANY_NEWLINES = re.compile(r"\n{3,}")
_HYPHEN_BREAK = re.compile(r"(\w+)-\n[ \t]*([a-z]\w*)")
_HYPHENATED_WORD = re.compile(r"\w+(?:-\w+)+")


def clean_text(text: str) -> str:
    """Normalise a block of text: keeps paragraph breaks (blank lines) and line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n").replace("\x0c", "\n\n")
    text = _JUNK.sub("", text).translate(_LIGATURES)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = dehyphenate(text)
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def inline(text: str) -> str:
    """One line of text, for headings, table cells and titles."""
    return " ".join(_JUNK.sub("", text).translate(_LIGATURES).split())


def dehyphenate(text: str) -> str:
    """Rejoin words split across lines ("load-\\ncarrying", "construc-\\ntion").

    A real compound keeps its hyphen when the document spells it with one elsewhere;
    otherwise the hyphen is taken for typesetting and dropped.
    """
    if "-\n" not in text:
        return text
    compounds = {word.lower() for word in _HYPHENATED_WORD.findall(text)}
    words = {word.lower() for word in re.findall(r"\w+", text)}

    def join(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        compound = f"{head}-{tail}"
        if compound.lower() in compounds and (head + tail).lower() not in words:
            return compound
        return head + tail

    return _HYPHEN_BREAK.sub(join, text)


def paragraphs(text: str) -> list[str]:
    """Split cleaned text on blank lines."""
    return [part for part in text.split("\n\n") if part.strip()]
