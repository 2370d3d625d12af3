"""Is a post about *this* school? Names and aliases, location with school words, roster hits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.normalise import Normalised, normalise
from classifiers.types import Evidence, Mention
from config import SchoolSettings

SCHOOL_WORDS = re.compile(
    r"(?<![\w])(?:school|primary|academy|teachers?|head ?teachers?|the head|headmistress|"
    r"headmaster|senco|deputy head|classroom|class teacher|playground|pta|governors?|"
    r"reception class|year [1-6]|y[1-6]|nursery|pupils?|sports day|nativity|school gates?|"
    r"dinner ladies|lunchtime|parents' evening|ofsted)(?![\w])"
)
# A place name followed by one of these is a street, a church or a team, not our school.
_NOT_THE_SCHOOL = re.compile(
    r"^\s*(?:road|rd|street|st|lane|avenue|close|park|church|fc|football|rugby|cricket|"
    r"surgery|pharmacy|station|estate)\b"
)


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    evidence: tuple[Evidence, ...]
    reason: str


class RelevanceStage:
    def __init__(self, school: SchoolSettings) -> None:
        self._names = [
            re.compile(r"(?<![\w])" + r"\s+".join(re.escape(w) for w in normalise(n).text.split()))
            for n in sorted(school.names, key=len, reverse=True)
        ]
        self._location = (
            re.compile(r"(?<![\w])" + re.escape(normalise(school.location).text) + r"(?![\w])")
            if school.location
            else None
        )

    def school_named(self, norm: Normalised) -> list[Evidence]:
        found: list[Evidence] = []
        for pattern in self._names:
            for match in pattern.finditer(norm.text):
                if _NOT_THE_SCHOOL.match(norm.text[match.end() :]):
                    continue
                if match.end() < len(norm.text) and norm.text[match.end()].isalnum():
                    continue
                if any(match.start() < e.end and e.start < match.end() for e in found):
                    continue
                start, end = norm.span(match.start(), match.end())
                found.append(Evidence(start, end, norm.original[start:end]))
        return found

    def judge(self, norm: Normalised, strong_mentions: list[Mention]) -> Relevance:
        named = self.school_named(norm)
        if named:
            return Relevance(True, tuple(named), f"names the school ({named[0].text!r})")
        if strong_mentions:
            m = strong_mentions[0]
            evidence = Evidence(m.start, m.end, norm.original[m.start : m.end])
            return Relevance(True, (evidence,), f"names someone on the roster ({m.how})")
        if self._location:
            place = self._location.search(norm.text)
            word = SCHOOL_WORDS.search(norm.text)
            if place and word:
                start, end = norm.span(place.start(), place.end())
                return Relevance(
                    True,
                    (Evidence(start, end, norm.original[start:end]),),
                    "names the school's town together with school words",
                )
        return Relevance(False, (), "does not name the school, its town or anyone on the roster")

    def has_school_words(self, norm: Normalised) -> bool:
        return SCHOOL_WORDS.search(norm.text) is not None
