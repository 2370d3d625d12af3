"""School rules made from dismissals ("not a concern here"): a phrase that, in a post, stops
flags of some categories before they are raised. A road, club or recurring event that shares the
school's name is the use; threat, racist and selfharm are never suppressed, whatever a rule says.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from classifiers.types import Result

# A missed threat, racist post or pupil at risk costs far more than a repeated false alarm.
NEVER_SUPPRESSED = frozenset({"threat", "racist", "selfharm"})
MIN_PHRASE_CHARS = 4


class SuppressionError(ValueError):
    """A rule that may not be made: the message says why."""


@dataclass(frozen=True)
class Suppression:
    phrase: str
    categories: frozenset[str]
    rule_id: int | None = None

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        words = [re.escape(w) for w in self.phrase.split()]
        return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)

    def matches(self, text: str) -> bool:
        return bool(self.pattern.search(text))


def check_rule(phrase: str, categories: Iterable[str]) -> tuple[str, frozenset[str]]:
    """The phrase and categories of a rule that may be made; else :class:`SuppressionError`."""
    phrase = " ".join(phrase.split())
    if len(phrase) < MIN_PHRASE_CHARS:
        raise SuppressionError(
            f"the phrase must be at least {MIN_PHRASE_CHARS} characters, e.g. 'Roose Road'"
        )
    wanted = frozenset(categories)
    barred = sorted(wanted & NEVER_SUPPRESSED)
    if barred:
        raise SuppressionError(
            f"a school rule never suppresses {', '.join(barred)}: dismiss such flags one by one"
        )
    if not wanted:
        raise SuppressionError("a school rule needs at least one category to suppress")
    return phrase, wanted


def suppress(result: Result, text: str, rules: Iterable[Suppression]) -> Result:
    """``result`` without the flags a matching rule suppresses (never a protected category)."""
    if not result.flags:
        return result
    silenced: set[str] = set()
    for rule in rules:
        if rule.matches(text):
            silenced |= rule.categories - NEVER_SUPPRESSED
    if not silenced:
        return result
    kept = tuple(f for f in result.flags if f.category not in silenced)
    return dataclasses.replace(result, flags=kept)
