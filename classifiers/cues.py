"""spaCy Matcher rules over the normalised text: unnamed pupils, threat phrasing, targets.

Uses a blank English pipeline (tokeniser only), so nothing has to be downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from classifiers.patterns import HARMLESS_WEAPON_WORDS, SAFETY_NOUNS

_DET = ["the", "that", "this", "a", "some", "one"]
_CHILD = [
    "boy",
    "girl",
    "kid",
    "lad",
    "lass",
    "child",
    "twins",
    "brat",
    "pupil",
    "wean",
    "bairn",
    "lassie",
    "laddie",
    "loon",
    "quine",
]
_OFFSPRING = [
    "son",
    "daughter",
    "lad",
    "lass",
    "boy",
    "girl",
    "kid",
    "kids",
    "child",
    "children",
    "wean",
    "weans",
    "bairn",
    "bairns",
]
# Y6, P5, S2, 10B: a year group or form written as one word (a list: the Matcher looks a token
# up in it, where a REGEX predicate would cost a regex search per token)
_FORM = sorted(
    {f"{prefix}{n}{plural}" for prefix in ("y", "yr") for n in range(1, 14) for plural in ("", "s")}
    | {f"p{n}{plural}" for n in range(1, 8) for plural in ("", "s")}
    | {f"s{n}{plural}" for n in range(1, 7) for plural in ("", "s")}
    | {f"{n}{letter}" for n in range(7, 14) for letter in "abcdefghijlnoqruvwyz"}
)
_YEAR = ["year", "yr", "y"]
_HARM_NOUN = ["slap", "kicking", "hiding", "beating", "battering", "smack", "thump", "punch"]
_WEAPON = ["knife", "bat", "gun", "blade", "machete", "hammer", "brick", "acid"]
_PRONOUN_OBJ = ["him", "her", "them", "you", "his", "your", "their"]


@dataclass(frozen=True)
class Cue:
    kind: str  # "pupil" | "threat" | "second person"
    name: str
    start: int  # character offsets in the normalised text
    end: int


def _patterns() -> dict[str, tuple[str, str, list[list[dict[str, Any]]]]]:
    child: dict[str, Any] = {"LOWER": {"IN": _CHILD}}
    det: dict[str, Any] = {"LOWER": {"IN": _DET}}
    year: list[dict[str, Any]] = [{"LOWER": {"IN": _YEAR}}, {"LIKE_NUM": True}]
    return {
        "PUPIL_YEAR": ("pupil", "a pupil described by year group", [
            [det, *year, child],
            [det, {"IS_ALPHA": True, "OP": "?"}, child, {"LOWER": {"IN": ["in", "from"]}}, *year],
            [det, {"IS_ALPHA": True, "OP": "?"}, child, {"LOWER": {"IN": ["in", "from"]}},
             {"LOWER": "reception"}],
            [det, {"IS_ALPHA": True, "OP": "?"}, child, {"LOWER": {"IN": ["in", "from"]}},
             {"LOWER": {"IN": _FORM}}],
            [det, {"LOWER": {"IN": _FORM}}, child],
        ]),
        "PUPIL_DESCRIBED": ("pupil", "a pupil described, or someone else's child", [
            [{"LOWER": {"IN": ["the", "that", "this"]}}, {"IS_ALPHA": True, "OP": "?"}, child,
             {"LOWER": {"IN": ["who", "whose", "with"]}}],
            [{"LOWER": {"IN": ["her", "his", "their", "ur"]}}, {"LOWER": {"IN": _OFFSPRING}},
             {"LOWER": {"IN": ["is", "'s", "s", "was", "has", "comes", "goes", "keeps", "pushed",
                               "hit", "said", "needs", "wants", "thinks", "should", "started"]}}],
        ]),
        "PUPIL_CLASS": ("pupil", "a pupil described by class", [
            [det, {"IS_ALPHA": True, "OP": "?"}, child, {"LOWER": "in"}, {"OP": "{1,4}"},
             {"LOWER": "class"}],
        ]),
        "THREAT_WANTS": ("threat", "says someone has violence coming", [
            [{"LOWER": {"IN": ["wants", "needs", "deserves", "due"]}},
             {"LOWER": {"IN": ["a", "an"]}}, {"LOWER": {"IN": ["good", "proper"]}, "OP": "?"},
             {"LOWER": {"IN": _HARM_NOUN}}],
            [{"LOWER": {"IN": ["head", "teeth", "face"]}}, {"LOWER": {"IN": ["kicked", "smashed"]}},
             {"LOWER": "in"}],
            [{"LOWER": {"IN": ["knock", "knocking", "punch", "punching"]}},
             {"LOWER": {"IN": _PRONOUN_OBJ}}, {"LOWER": {"IN": ["out", "lights"]}}],
            [{"LOWER": {"IN": ["leave", "put"]}}, {"LOWER": {"IN": _PRONOUN_OBJ}},
             {"LOWER": {"IN": ["on", "in"]}}, {"LOWER": "the", "OP": "?"},
             {"LOWER": {"IN": ["floor", "hospital", "ground", "ground."]}}],
            [{"LOWER": {"IN": ["are", "is", "re", "'re", "s", "'s"]}}, {"LOWER": "dead"},
             {"LOWER": {"IN": ["when", "if", "meat"]}}],
            [{"LOWER": "i"}, {"LOWER": "know"}, {"LOWER": {"IN": ["where", "your"]}},
             {"LOWER": {"IN": ["you", "he", "she", "they", "address", "car"]}},
             {"LOWER": {"IN": ["live", "lives", "park", "parks"]}, "OP": "?"}],
        ]),
        "THREAT_WEAPON": ("threat", "mentions bringing a weapon", [
            [{"LOWER": {"IN": ["with", "bring", "bringing", "brought", "carry", "carrying"]}},
             {"LOWER": {"IN": ["a", "my", "the"]}},
             {"IS_ALPHA": True, "LOWER": {"NOT_IN": sorted(HARMLESS_WEAPON_WORDS)}, "OP": "?"},
             {"LOWER": {"IN": _WEAPON}}],
            [{"LOWER": {"IN": ["burn", "torch", "bomb"]}}, {"OP": "{0,2}"},
             {"LOWER": {"IN": ["school", "place", "building"]}}],
            [{"LOWER": {"IN": ["burn", "burning", "torch", "blow"]}}, {"OP": "{1,6}"},
             {"LOWER": {"IN": ["to", "into"]}}, {"LOWER": "the", "OP": "?"},
             {"LOWER": {"IN": ["ground", "pieces", "bits"]}}],
        ]),
        "SECOND_PERSON": ("second person", "speaks to someone directly", [
            [{"LOWER": {"IN": ["you", "your", "ur", "u", "kys", "yourself"]}}],
        ]),
    }  # fmt: skip


@cache
def blank_english() -> Any:
    """spaCy's blank English pipeline: the tokeniser alone, nothing downloaded. Any symbol inside
    a run of characters also splits it, so a name glued to markup or a hashtag
    (``x">mr okafor``, ``#jayden``) is still its own tokens."""
    import spacy
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("en")
    extra = [r"[^\w\s'\-.]"]
    tokenizer: Any = nlp.tokenizer
    infixes: list[str] = [*nlp.Defaults.infixes, *extra]  # type: ignore[misc]
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


# Words too common to tell whether a pattern could match: a pattern's gate is its required word
# with the fewest of these.
_COMMON = frozenset([
    "the", "that", "this", "a", "an", "some", "one", "in", "from", "on", "is", "was", "has",
    "'s", "s", "i", "you", "your", "ur", "u", "my", "with", "to", "into", "are", "re", "'re",
    "his", "her", "him", "them", "their", "who", "whose", "know", "where", "he", "she", "they",
    "said", "out", "good", "proper", "due",
])  # fmt: skip


def _gate(patterns: list[list[dict[str, Any]]]) -> frozenset[str] | None:
    """Words one of which every match of these patterns must contain, or None to always run."""
    gate: set[str] = set()
    for pattern in patterns:
        best: tuple[int, int, set[str]] | None = None
        for token in pattern:
            lower, op = token.get("LOWER"), str(token.get("OP", ""))
            if lower is None or op in ("?", "*") or op.startswith("{0"):
                continue  # no word test, or the token may be absent
            words = {lower} if isinstance(lower, str) else set(lower["IN"])
            rank = (len(words & _COMMON), len(words), words)
            if best is None or rank[:2] < best[:2]:
                best = rank
        if best is None:
            return None
        gate |= best[2]
    return frozenset(gate)


class CueMatcher:
    def __init__(self) -> None:
        from spacy.matcher import Matcher

        self._nlp = blank_english()
        # One Matcher per kind of cue, each run only on a post holding a word it needs: most
        # posts need none, and a Matcher costs a pass over every token for every pattern.
        self._matchers: list[tuple[frozenset[str] | None, Any]] = []
        # match id -> (its kind's place in _patterns(), key, kind, name)
        self._meta: dict[int, tuple[int, str, str, str]] = {}
        for key, (kind, name, patterns) in _patterns().items():
            matcher = Matcher(self._nlp.vocab)
            matcher.add(key, patterns)
            self._matchers.append((_gate(patterns), matcher))
            self._meta[self._nlp.vocab.strings[key]] = (len(self._meta), key, kind, name)

    def find(self, text: str, doc: Any = None) -> list[Cue]:
        """Cues in a normalised text; ``doc`` is its tokens when already made."""
        if doc is None:
            doc = self._nlp.make_doc(text)
        words = {token.lower_ for token in doc}
        matches = []
        for gate, matcher in self._matchers:
            if gate is None or not gate.isdisjoint(words):
                matches += matcher(doc)
        matches.sort(key=lambda m: (m[1], m[2], self._meta[m[0]][0]))
        cues: list[Cue] = []
        for match_id, start, end in matches:
            _, key, kind, name = self._meta[match_id]
            if not kept(doc, key, end):
                continue
            span = doc[start:end]
            cues.append(Cue(kind, name, span.start_char, span.end_char))
        return cues


def kept(doc: Any, key: str, end: int) -> bool:
    """Whether a match of ``key`` ending at token ``end`` is a cue: a weapon followed by a word
    of the school's safety measures ("the knife arch", "a knife crime talk") is not one."""
    if key != "THREAT_WEAPON":
        return True
    after = end + 1 if end < len(doc) and doc[end].text == "-" else end  # "knife-crime"
    return after >= len(doc) or doc[after].lower_ not in SAFETY_NOUNS


@cache
def cue_matcher() -> CueMatcher:
    return CueMatcher()
