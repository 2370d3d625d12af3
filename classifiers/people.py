"""Finding roster people in a post: full names, titles, aliases, initials, possessives."""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.normalise import Normalised, normalise
from classifiers.types import Mention
from config import Person, Roster

_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "sir")
_OWN_CHILD = re.compile(
    r"\b(?:my|our) (?:(?:little|eldest|youngest|oldest|middle|baby) )?"
    r"(?:(?:son|daughter|boy|girl|child|kid|lad|lass|little one|stepson|stepdaughter)[,:]? )?$"
)
_CHILD_NOUN = r"(?:kid|boy|girl|lad|lass|child|twins?)"


def _fold(text: str) -> str:
    return normalise(text).text


def _word(phrase: str) -> str:
    """A pattern for ``phrase`` as whole words, allowing a possessive."""
    return r"(?<![\w])" + r"\s+".join(re.escape(p) for p in phrase.split()) + r"(?:'s|s')?(?![\w])"


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    person: Person
    how: str
    strength: int  # higher wins when two rules cover the same words
    trigger: str  # a word the post must contain for the rule to be tried


_WORD = re.compile(r"\w+")
_TITLE_THEN_WORD = re.compile(rf"(?<![\w])(?:{'|'.join(_TITLES)})\.?\s+([a-z][a-z'-]+)(?![\w])")
_TWO_WORDS = re.compile(r"(?<![\w])(?=([a-z]+)\s+([a-z]+)(?![\w]))")
_NEVER = re.compile(r"(?!)")


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


def _first_word(phrase: str) -> str:
    found = _WORD.search(phrase)
    return found.group(0) if found else phrase


class PeopleMatcher:
    """Compiled once per roster; ``find`` runs on normalised text."""

    def __init__(self, roster: Roster) -> None:
        rules: list[_Rule] = []
        for person in roster.people:
            first, last = _fold(person.first_name), _fold(person.last_name)
            by_first, by_last = _first_word(first), _first_word(last)
            rules.append(
                _Rule(re.compile(_word(f"{first} {last}")), person, "full name", 5, by_first)
            )
            for alias in person.aliases:
                folded = _fold(alias)
                rules.append(
                    _Rule(re.compile(_word(folded)), person, "alias", 4, _first_word(folded))
                )
            if person.kind == "staff":
                titles = "|".join(_TITLES)
                pattern = rf"(?<![\w])(?:{titles})\.?\s+{re.escape(last)}(?:'s|s')?(?![\w])"
                rules.append(_Rule(re.compile(pattern), person, "title and surname", 5, by_last))
            else:
                pattern = rf"(?<![\w]){re.escape(first)}\s+{re.escape(last[0])}\.?(?![\w])"
                rules.append(
                    _Rule(re.compile(pattern), person, "first name and initial", 3, by_first)
                )
                pattern = rf"(?<![\w])(?:the\s+)?{re.escape(last)}\s+{_CHILD_NOUN}s?(?![\w])"
                rules.append(_Rule(re.compile(pattern), person, "surname and 'kid'", 2, by_last))
            rules.append(_Rule(re.compile(_word(first)), person, "first name", 1, by_first))
        self._rules = rules
        # Only the rules whose trigger word is in a post are tried: a school of several hundred
        # people would otherwise run thousands of patterns over every post.
        self._by_trigger: dict[str, list[_Rule]] = {}
        for rule in rules:
            self._by_trigger.setdefault(rule.trigger, []).append(rule)
        self._staff_by_surname: dict[str, list[Person]] = {}
        self._pupils_by_surname: dict[str, list[tuple[Person, str]]] = {}
        for person in roster.staff:
            self._staff_by_surname.setdefault(_fold(person.last_name), []).append(person)
        for person in roster.pupils:
            entry = (person, _fold(person.first_name))
            self._pupils_by_surname.setdefault(_fold(person.last_name), []).append(entry)
        self._first_name_owners: dict[str, set[str]] = {}
        for rule in rules:
            if rule.how == "first name":
                self._first_name_owners.setdefault(rule.pattern.pattern, set()).add(rule.person.key)

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
                    rule = _Rule(_NEVER, people[0], "title and surname, close spelling", 4, "")
                    found.append((match.start(), match.end(), 4, rule))
        for match in _TWO_WORDS.finditer(text):
            first, last = match.group(1), match.group(2)
            for person, target in self._pupils_by_surname.get(last, ()):
                if first != target and len(target) >= 4 and _one_edit_apart(first, target):
                    rule = _Rule(_NEVER, person, "full name, close spelling", 4, "")
                    found.append((match.start(1), match.end(2), 4, rule))
        return found

    def find(self, norm: Normalised, school_context: bool) -> list[Mention]:
        """People named in the post. A bare first name counts only with school context,
        written with a capital letter, and when exactly one roster person has it."""
        candidates: list[tuple[int, int, int, _Rule]] = []
        first_name_owners = self._first_name_owners
        words = set(_WORD.findall(norm.text))
        tried = [rule for word in words for rule in self._by_trigger.get(word, ())]
        for rule in tried:
            for match in rule.pattern.finditer(norm.text):
                if rule.how == "first name":
                    if not school_context or len(first_name_owners[rule.pattern.pattern]) > 1:
                        continue
                    start, _ = norm.span(match.start(), match.end())
                    if not norm.original[start : start + 1].isupper():
                        continue
                candidates.append((match.start(), match.end(), rule.strength, rule))
        candidates += self._close_spellings(norm.text)
        candidates.sort(key=lambda c: (-c[2], c[0]))
        taken: list[tuple[int, int]] = []
        mentions: list[Mention] = []
        for start, end, _strength, rule in candidates:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            o_start, o_end = norm.span(start, end)
            own = rule.person.kind == "pupil" and bool(_OWN_CHILD.search(norm.text[:start]))
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
        mentions.sort(key=lambda m: m.start)
        return mentions
