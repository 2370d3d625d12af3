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


_NEEDS_WORK = re.compile(
    r"([^\W\d_])\1\1|[^\W\d_][013457@$!*#]|[*#][^\W\d_]|"
    r"(?<![\w])[^\W\d_](?:[ .*_-]| {2,3})\w(?:[ .*_-]| {2,3})\w|[^\w\s]{4}|\s{4}|\S{61}"
)
# Words people mask with stars or spell out letter by letter to slip past filters: "k*ll",
# "b*tch", "k y s", "s.t.a.b". A masked word is read only when one word fits it.
_MASKED_WORDS = (
    "kill kills killed killing stab stabbed stabbing shoot shooting murder murdered dead die "
    "knife knives gun bomb burn torch hang hanged strangle bitch bitches cunt cunts twat twats "
    "fuck fucking fucked slag slags whore whores paedo paedos pedo pedos nonce nonces rape raped "
    "scum slut sluts retard retards spastic spaz faggot faggots dyke tranny trannies kys"
)
_MASKED = tuple(_MASKED_WORDS.split())
_SPELLED = frozenset(
    {
        "kys",
        "kill",
        "stab",
        "die",
        "dead",
        "shoot",
        "rape",
        "paedo",
        "nonce",
        "knife",
        "bomb",
        "burn",
        "hang",
        "deadmanwalking",
    }
)
_MASK = re.compile(r"(?<![\w*#])[a-z]*[*#][a-z*#]*(?![\w*#])")
_SPELLED_OUT = re.compile(r"(?<![\w.*_-])[a-z](?:(?: {1,3}|[.*_-])[a-z013457@$!]){2,13}(?![\w*_-])")


def normalise(text: str) -> Normalised:
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
    dropped = _unmask(chars)
    out: list[str] = []
    out_index: list[int] = []
    run = 0
    for position, (char, offset) in enumerate(zip(chars, index, strict=True)):
        if position in dropped:
            continue
        if len(out) >= 2 and char.isalpha() and out[-1] == char and out[-2] == char:
            continue
        # spaCy's tokenizer searches affixes in time quadratic in a token's length: a run of
        # symbols is cut at three ("!?!?!?!?" reads as "!?!"), a run of spaces at three, and a
        # word longer than _LONGEST gets a space, so no token is ever long
        if len(out) >= 3 and not char.isalnum() and _symbols(out[-3:], char):
            continue
        if char.isspace():
            run = 0
        else:
            run += 1
            if run > _LONGEST:
                out.append(" ")
                out_index.append(offset)
                run = 1
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
    """Replace digits and symbols standing between letters, one or two in a row: ``k!ll`` ->
    ``kill``, ``j4yden``, ``sh00t`` (never two other digits: ``Y10s`` stays); and ``@`` or
    ``$`` ending a word (``n1gg@``, ``a$$``), which no other use puts there."""
    for i in range(1, len(chars)):
        if chars[i] not in _LEET or not chars[i - 1].isalpha():
            continue
        after = chars[i + 1] if i + 1 < len(chars) else " "
        if after.isalpha() or (chars[i] in "@$" and not after.isalnum()):
            chars[i] = _LEET[chars[i]]
        elif (
            after in _LEET
            and i + 2 < len(chars)
            and chars[i + 2].isalpha()
            and (chars[i] + after == "00" or not (chars[i].isdigit() and after.isdigit()))
        ):
            chars[i], chars[i + 1] = _LEET[chars[i]], _LEET[after]


_LONGEST = 60


def _symbols(last: list[str], char: str) -> bool:
    """Three symbols (or three spaces) before ``char``, itself a symbol or a space."""
    if char.isspace():
        return all(c.isspace() for c in last)
    return not any(c.isalnum() or c.isspace() for c in last)


def _unmask(chars: list[str]) -> set[int]:
    """Fill starred letters where exactly one known word fits (``b*tch`` -> ``bitch``) and mark
    the gaps of a word spelt letter by letter (``k y s``) to be dropped."""
    text = "".join(chars)
    dropped: set[int] = set()
    if "*" in text or "#" in text:
        for match in _MASK.finditer(text):
            token = match.group(0)
            if not any(c.isalpha() for c in token):
                continue
            shape = re.compile(token.replace("*", "[a-z]").replace("#", "[a-z]"))
            fits = [w for w in _MASKED if len(w) == len(token) and shape.fullmatch(w)]
            if len(fits) == 1:
                for offset, letter in enumerate(fits[0]):
                    chars[match.start() + offset] = letter
    for match in _SPELLED_OUT.finditer(text):
        # "k i l l   s p e i g h t": a wider gap between two spelt words
        pieces = [(match.start(), match.group(0))]
        if re.search(r"\S \S", match.group(0)) and "  " in match.group(0):
            pieces = [(match.start() + m.start(), m.group(0))
                      for m in re.finditer(r"\S(?: \S)*", match.group(0))]  # fmt: skip
        for start, spelt in pieces:
            letters = "".join(_LEET.get(c, c) for c in spelt if c not in " .*_-")
            if letters not in _SPELLED:
                continue
            for i, c in enumerate(spelt):
                if c in " .*_-":
                    dropped.add(start + i)
                else:
                    chars[start + i] = _LEET.get(c, c)
    return dropped
