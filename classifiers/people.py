"""Finding roster people in a post: full names, titles, aliases, initials, possessives."""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.normalise import Normalised, normalise
from classifiers.types import Mention
from config import Person, Roster

_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "sir")
_OWN_CHILD = re.compile(
    r"\bmy (?:(?:little|eldest|youngest|oldest|middle) )?"
    r"(?:son|daughter|boy|girl|child|kid|lad|lass|little one|stepson|stepdaughter)[,:]? $"
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


class PeopleMatcher:
    """Compiled once per roster; ``find`` runs on normalised text."""

    def __init__(self, roster: Roster) -> None:
        rules: list[_Rule] = []
        for person in roster.people:
            first, last = _fold(person.first_name), _fold(person.last_name)
            rules.append(_Rule(re.compile(_word(f"{first} {last}")), person, "full name", 5))
            for alias in person.aliases:
                rules.append(_Rule(re.compile(_word(_fold(alias))), person, "alias", 4))
            if person.kind == "staff":
                titles = "|".join(_TITLES)
                pattern = rf"(?<![\w])(?:{titles})\.?\s+{re.escape(last)}(?:'s|s')?(?![\w])"
                rules.append(_Rule(re.compile(pattern), person, "title and surname", 5))
            else:
                pattern = rf"(?<![\w]){re.escape(first)}\s+{re.escape(last[0])}\.?(?![\w])"
                rules.append(_Rule(re.compile(pattern), person, "first name and initial", 3))
                pattern = rf"(?<![\w])(?:the\s+)?{re.escape(last)}\s+{_CHILD_NOUN}s?(?![\w])"
                rules.append(_Rule(re.compile(pattern), person, "surname and 'kid'", 2))
            rules.append(_Rule(re.compile(_word(first)), person, "first name", 1))
        self._rules = rules

    def find(self, norm: Normalised, school_context: bool) -> list[Mention]:
        """People named in the post. A bare first name counts only with school context,
        written with a capital letter, and when exactly one roster person has it."""
        candidates: list[tuple[int, int, int, _Rule]] = []
        first_name_owners: dict[str, set[str]] = {}
        for rule in self._rules:
            if rule.how == "first name":
                first_name_owners.setdefault(rule.pattern.pattern, set()).add(rule.person.key)
        for rule in self._rules:
            for match in rule.pattern.finditer(norm.text):
                if rule.how == "first name":
                    if not school_context or len(first_name_owners[rule.pattern.pattern]) > 1:
                        continue
                    start, _ = norm.span(match.start(), match.end())
                    if not norm.original[start : start + 1].isupper():
                        continue
                candidates.append((match.start(), match.end(), rule.strength, rule))
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
