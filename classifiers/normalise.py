"""Normalisation that remembers where each character came from.

Matching runs on a folded copy of the text (NFKC, case-folded, zero-width characters
removed, look-alike letters and in-word leetspeak folded, long letter runs shortened, a few
emoji spelt out as the word they stand for);
``Normalised.span`` maps a match back to offsets in the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\ufe0f"}
# Emoji that stand for a word the rules look for; each letter of the word maps back to the emoji.
# Not fire or skull: parents use them for "brilliant" and "I'm laughing".
_EMOJI_WORDS = {
    "\U0001f52a": "knife", "\U0001f5e1": "knife", "\U0001f52b": "gun", "\U0001f4a3": "bomb",
    "\U0001fa93": "axe", "\u26b0": "coffin", "\U0001f921": "clown", "\U0001f437": "pig",
    "\U0001f416": "pig", "\U0001f40d": "snake", "\U0001f400": "rat",
}  # fmt: skip
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "ԁ": "d", "ɡ": "g", "ո": "n", "ս": "u", "α": "a", "ο": "o",
        "ν": "v", "τ": "t", "ι": "i", "κ": "k", "ρ": "p", "’": "'", "‘": "'", "`": "'",
    }
)  # fmt: skip
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}


@dataclass(frozen=True)
class Normalised:
    original: str
    text: str
    index: tuple[int, ...]  # index[i] = offset in ``original`` of ``text[i]``

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` for the normalised slice ``text[start:end]``."""
        if not self.index or end <= start:
            return (0, 0)
        return self.index[start], self.index[end - 1] + 1


_NEEDS_WORK = re.compile(r"([^\W\d_])\1\1|[^\W\d_][013457@$!]")

# Bounds on what the tokeniser sees. spaCy's affix search is quadratic in the length of a token
# with no spaces (10,000 "!" took 6.9 s), so a character repeated more than MAX_RUN times is
# kept MAX_RUN times, a space-free run longer than MAX_TOKEN is broken with a space, and only the
# first MAX_TEXT characters of a post are classified. Offsets still index the original text.
MAX_TEXT = 20_000
MAX_RUN = 8
MAX_TOKEN = 100
_UNBOUNDED = re.compile(rf"(\S)\1{{{MAX_RUN}}}|\S{{{MAX_TOKEN + 1}}}")


def normalise(text: str) -> Normalised:
    folded = _fold(text[:MAX_TEXT])
    if _UNBOUNDED.search(folded.text) is None:
        return folded if len(text) <= MAX_TEXT else Normalised(text, folded.text, folded.index)
    return _bounded(text, folded)


def _bounded(original: str, folded: Normalised) -> Normalised:
    out: list[str] = []
    out_index: list[int] = []
    previous, run, token = "", 0, 0
    for char, offset in zip(folded.text, folded.index, strict=True):
        run = run + 1 if char == previous else 1
        previous = char
        if char.isspace():
            token = 0
        elif run > MAX_RUN:
            continue
        else:
            token += 1
            if token > MAX_TOKEN:
                out.append(" ")
                out_index.append(offset)
                token = 1
        out.append(char)
        out_index.append(offset)
    return Normalised(original, "".join(out), tuple(out_index))


def _fold(text: str) -> Normalised:
    chars: list[str]
    index: list[int]
    if text.isascii():  # most posts: NFKC and accent stripping change nothing
        lowered = text.lower().replace("`", "'")
        if _NEEDS_WORK.search(lowered) is None:  # no letter runs, no leetspeak: one to one
            return Normalised(text, lowered, tuple(range(len(text))))
        chars = list(lowered)
        index = list(range(len(text)))
    else:
        chars, index = _fold_unicode(text)
    _fold_leet(chars)
    out: list[str] = []
    out_index: list[int] = []
    for char, offset in zip(chars, index, strict=True):
        if len(out) >= 2 and char.isalpha() and out[-1] == char and out[-2] == char:
            continue
        out.append(char)
        out_index.append(offset)
    return Normalised(text, "".join(out), tuple(out_index))


def _fold_unicode(text: str) -> tuple[list[str], list[int]]:
    chars: list[str] = []
    index: list[int] = []
    for offset, char in enumerate(text):
        if char in _ZERO_WIDTH or unicodedata.category(char) == "Mn":
            continue
        if char in _EMOJI_WORDS:
            before = "" if not chars or chars[-1].isspace() else " "
            after = "" if text[offset + 1 : offset + 2].isspace() else " "
            for piece in f"{before}{_EMOJI_WORDS[char]}{after}":
                chars.append(piece)
                index.append(offset)
            continue
        folded = unicodedata.normalize("NFKC", char).casefold().translate(_HOMOGLYPHS)
        folded = unicodedata.normalize("NFKD", folded)
        for piece in folded:
            if unicodedata.category(piece) == "Mn":
                continue
            chars.append(piece)
            index.append(offset)
    return chars, index


def _fold_leet(chars: list[str]) -> None:
    """Replace digits and symbols standing between letters: ``k!ll`` -> ``kill``, ``j4yden``;
    and ``@`` or ``$`` ending a word (``n1gg@``, ``a$$``), which no other use puts there."""
    for i in range(1, len(chars)):
        if chars[i] not in _LEET or not chars[i - 1].isalpha():
            continue
        after = chars[i + 1] if i + 1 < len(chars) else " "
        if after.isalpha() or (chars[i] in "@$" and not after.isalnum()):
            chars[i] = _LEET[chars[i]]
