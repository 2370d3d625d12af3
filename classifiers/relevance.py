"""Is a post about *this* school? Names and aliases, location with school words, roster hits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.normalise import Normalised, normalise
from classifiers.types import Evidence, Mention
from config import SchoolSettings

SCHOOL_WORDS = re.compile(
    r"(?<![\w])(?:schools?|primary|academy|teachers?|teaching assistants?|head ?teachers?|"
    r"the head|head's|headmistress|headmaster|deputy(?: head)?|senco|sen|ehcp|classroom|"
    r"class teacher|form tutor|head of year|playground|pta|governors?|reception(?: class)?|"
    r"receptionist|(?:year|yr) ?(?:[1-9]|1[0-3])|y[1-9]|nursery|pupils?|sports day|nativity|"
    r"school gates?|the gates|dinner lad(?:y|ies)|lunch lad(?:y|ies)|midday supervisors?|"
    r"caretaker|lunchtime|parents'? evening|ofsted|home ?work|uniform|detentions?|"
    r"exclu(?:de|ded|ding|sion|sions)|suspended|school trip|residential|school run|"
    r"drop ?off|pick ?up|staff ?room|the office|class ?mates?|school council|admissions)(?![\w])"
)
# Another school named outright ("Moorside Academy", "St Mary's Primary") makes a post about it.
_A_SCHOOL = re.compile(
    r"\b((?:St\.? )?[A-Z][\w'’]+(?:\s+(?:[A-Z][\w'’]+|of|and|&))*)\s+"
    r"(?:C\.?\s?of\s?E\.?\s+|CE\s+|RC\s+)?"
    r"(?:Primary|Academy|School|High|College|Grammar|Infants?|Juniors?|Secondary|Nursery)\b"
)
# A place name followed by one of these is a street, a church or a team, not our school.
_NOT_THE_SCHOOL = re.compile(
    r"^\s*(?:road|rd|street|st|lane|avenue|close|park|church|fc|afc|football|rugby|cricket|"
    r"rovers|united|utd|city|town|athletic|wanderers|rangers|arms|inn|pub|hotel|surgery|"
    r"pharmacy|station|estate|u\d{1,2}s?)\b"
)
_FULL_NAMES = frozenset({"full name", "title and surname"})


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    evidence: tuple[Evidence, ...]
    reason: str


class RelevanceStage:
    def __init__(self, school: SchoolSettings) -> None:
        self._school = school
        self._names = [
            re.compile(r"(?<![\w])" + r"\s+".join(re.escape(w) for w in normalise(n).text.split()))
            for n in sorted(school.names, key=len, reverse=True)
        ]
        self._ours = [normalise(n).text for n in school.names]
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

    def other_school(self, norm: Normalised) -> str | None:
        """The name of a school that is not ours, if the post names one."""
        ours = self._ours
        for match in _A_SCHOOL.finditer(norm.original):
            phrase = normalise(match.group(0)).text
            if not any(name in phrase or phrase in name for name in ours):
                return match.group(0)
        return None

    def judge(
        self, norm: Normalised, mentions: list[Mention], named: list[Evidence] | None = None
    ) -> Relevance:
        """Relevant: names the school; names someone on the roster (a bare first name counts
        only with school words around it); or talks in school words without naming another
        school, as parents do on the school's own page and in local groups."""
        if named is None:
            named = self.school_named(norm)
        if named:
            return Relevance(True, tuple(named), f"names the school ({named[0].text!r})")
        other = self.other_school(norm)
        if other is not None:
            # Another school named outright wins over anything weaker than a full name.
            mentions = [m for m in mentions if m.how in _FULL_NAMES]
        if mentions:
            m = mentions[0]
            evidence = Evidence(m.start, m.end, norm.original[m.start : m.end])
            return Relevance(True, (evidence,), f"names someone on the roster ({m.how})")
        if other is not None:
            return Relevance(False, (), f"is about another school ({other!r})")
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
        word = SCHOOL_WORDS.search(norm.text)
        if word:
            start, end = norm.span(word.start(), word.end())
            return Relevance(
                True,
                (Evidence(start, end, norm.original[start:end]),),
                f"talks about school life ({norm.original[start:end]!r}) and names no other school",
            )
        return Relevance(False, (), "does not name the school, its town or anyone on the roster")

    def has_school_words(self, norm: Normalised) -> bool:
        return SCHOOL_WORDS.search(norm.text) is not None
