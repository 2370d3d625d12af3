"""Finding roster people in a post: full names, titles, aliases, initials, possessives.

spaCy's PhraseMatcher finds the roster's names, aliases and the forms made from them ("Mrs
Whitfield", "Jayden N.", "the Nowak kid") over the blank English tokeniser's tokens of the
normalised text, so "Jayden's" and "j4yden" are found as "Jayden". One-letter slips in a
name are found by edit distance.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from classifiers.cues import blank_english
from classifiers.normalise import Normalised, normalise
from classifiers.types import Mention
from config import Person, Roster

_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "sir")
_OWN_CHILD = re.compile(
    r"\b(?:my|our) (?:(?:little|eldest|youngest|oldest|middle|baby) )?"
    r"(?:(?:son|daughter|boy|girl|child|kid|lad|lass|little one|stepson|stepdaughter)[,:]? )?$|"
    # "I am father of Layla", as a parent new to English may put it
    r"\b(?:father|mother|mum|mam|mom|dad|parent|papa|mama|mummy|daddy) (?:of|to) "
    r"(?:[\w'-]+(?: [\w'-]+){0,2}(?:,| and| &) ){0,3}$"
)
# "Kacper's dad here", "Leo Okonjo's mum writing": the parent signs with their child's name
_OWN_CHILD_AFTER = re.compile(
    r"^(?:'s|s'?) (?:mum|mam|mom|mummy|dad|daddy|mother|father|parents?|step ?(?:mum|dad))"
    r"(?: here| writing| speaking| again)(?![\w])"
)
_CHILD_NOUNS = ["kid", "kids", "boy", "boys", "girl", "girls", "lad", "lads", "lass", "child",
                "twin", "twins"]  # fmt: skip


def _fold(text: str) -> str:
    return normalise(text).text


@dataclass(frozen=True)
class _Rule:
    person: Person
    how: str
    strength: int  # higher wins when two rules cover the same words


_TITLE_THEN_WORD = re.compile(rf"(?<![\w])(?:{'|'.join(_TITLES)})\.?\s+([a-z][a-z'-]+)(?![\w])")
_TWO_WORDS = re.compile(r"(?<![\w])(?=([a-z]+)\s+([a-z]+)(?![\w]))")


def _one_edit_apart(a: str, b: str) -> bool:
    """True when ``a`` becomes ``b`` by one insertion, deletion, substitution or swap."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


class PeopleMatcher:
    """Built once per roster; ``find`` runs on a post's normalised text and its tokens."""

    def __init__(self, roster: Roster) -> None:
        from spacy.matcher import PhraseMatcher

        self._nlp = nlp = blank_english()
        # Every form is a phrase (hash look-ups): a token Matcher with a pattern per person tried
        # hundreds of partial matches at every "the" or "mrs" in a post.
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._rules: dict[int, _Rule] = {}
        first_name_owners: dict[str, set[str]] = {}

        def add(key: str, rule: _Rule, phrases: list[str]) -> None:
            self._rules[nlp.vocab.strings.add(key)] = rule
            self._phrases.add(key, [nlp.make_doc(phrase) for phrase in phrases])

        for number, person in enumerate(roster.people):
            first, last = _fold(person.first_name), _fold(person.last_name)
            add(f"{number}|full", _Rule(person, "full name", 5), [f"{first} {last}"])
            for n, alias in enumerate(person.aliases):
                add(f"{number}|alias{n}", _Rule(person, "alias", 4), [_fold(alias)])
            if person.kind == "staff":
                titled = [f"{t}{dot} {last}" for t in _TITLES for dot in ("", ".")]
                add(f"{number}|title", _Rule(person, "title and surname", 5), titled)
            else:
                initials = [f"{first} {last[0]}", f"{first} {last[0]}."]
                add(f"{number}|initial", _Rule(person, "first name and initial", 3), initials)
                kids = [f"{the}{last} {noun}" for the in ("", "the ") for noun in _CHILD_NOUNS]
                add(f"{number}|kid", _Rule(person, "surname and 'kid'", 2), kids)
            add(f"{number}|first", _Rule(person, "first name", 1), [first])
            first_name_owners.setdefault(first, set()).add(person.key)
        self._shared_first_names = {n for n, owners in first_name_owners.items() if len(owners) > 1}
        self._staff_by_surname: dict[str, list[Person]] = {}
        self._pupils_by_surname: dict[str, list[tuple[Person, str]]] = {}
        for person in roster.staff:
            self._staff_by_surname.setdefault(_fold(person.last_name), []).append(person)
        for person in roster.pupils:
            entry = (person, _fold(person.first_name))
            self._pupils_by_surname.setdefault(_fold(person.last_name), []).append(entry)

    def tokenise(self, text: str) -> Any:
        """The spaCy ``Doc`` of a normalised text, to share with the cue stage."""
        return self._nlp.make_doc(text)

    def _close_spellings(self, text: str) -> list[tuple[int, int, int, _Rule]]:
        """A title before a staff surname misspelt by one letter ("Mrs Whitfeild"), or a pupil's
        exact surname after their first name misspelt by one letter ("Jaydon Nowak")."""
        found: list[tuple[int, int, int, _Rule]] = []
        for match in _TITLE_THEN_WORD.finditer(text):
            word = match.group(1)
            if word in self._staff_by_surname or len(word) < 5:
                continue
            for surname, people in self._staff_by_surname.items():
                if len(people) == 1 and _one_edit_apart(word, surname):
                    rule = _Rule(people[0], "title and surname, close spelling", 4)
                    found.append((match.start(), match.end(), 4, rule))
        for match in _TWO_WORDS.finditer(text):
            first, last = match.group(1), match.group(2)
            for person, target in self._pupils_by_surname.get(last, ()):
                if first != target and len(target) >= 4 and _one_edit_apart(first, target):
                    rule = _Rule(person, "full name, close spelling", 4)
                    found.append((match.start(1), match.end(2), 4, rule))
        return found

    def find(self, norm: Normalised, school_context: bool, doc: Any = None) -> list[Mention]:
        """People named in the post. A bare first name counts only with school context,
        written with a capital letter, and when exactly one roster person has it."""
        if doc is None:
            doc = self.tokenise(norm.text)
        candidates: list[tuple[int, int, int, _Rule]] = []
        found = self._phrases(doc) if len(self._phrases) else []
        for key, start, end in found:
            rule = self._rules[key]
            span = doc[start:end]
            if rule.how == "first name":
                if not school_context or span.text in self._shared_first_names:
                    continue
                first_char, _ = norm.span(span.start_char, span.end_char)
                if not norm.original[first_char : first_char + 1].isupper():
                    continue
            candidates.append((span.start_char, span.end_char, rule.strength, rule))
        candidates += self._close_spellings(norm.text)
        candidates.sort(key=lambda c: (-c[2], c[0], -c[1]))
        taken: list[tuple[int, int]] = []
        mentions: list[Mention] = []
        for start, end, _strength, rule in candidates:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            o_start, o_end = norm.span(start, end)
            own = rule.person.kind == "pupil" and bool(
                _OWN_CHILD.search(norm.text[:start]) or _OWN_CHILD_AFTER.match(norm.text[end:])
            )
            mentions.append(
                Mention(
                    key=rule.person.key,
                    kind=rule.person.kind,
                    display=rule.person.display_name,
                    initials=rule.person.initials,
                    start=o_start,
                    end=o_end,
                    how=rule.how,
                    own_child=own,
                )
            )
        # "My son Jayden ... Jayden loves it": once a parent has called a pupil theirs, every
        # mention of that pupil in the post is their own child
        own_keys = {m.key for m in mentions if m.own_child}
        mentions = [
            dataclasses.replace(m, own_child=True) if m.key in own_keys else m for m in mentions
        ]
        mentions.sort(key=lambda m: m.start)
        return mentions
