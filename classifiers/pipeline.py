"""The classifier: named pure stages (normalise, people, relevance, patterns) merged into flags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from classifiers.normalise import Normalised, normalise
from classifiers.patterns import STAFF_OR_SCHOOL_WORDS, PatternRule, rules
from classifiers.people import PeopleMatcher
from classifiers.relevance import RelevanceStage
from classifiers.types import Evidence, Flag, Mention, PostInput, Result
from config import CATEGORIES, Roster, SchoolSettings
from config.settings import DEFAULT_SEVERITY, DEFAULT_THRESHOLD

MODEL_VERSION = "rules-0.1"
_STRONG = {"full name", "title and surname", "alias", "first name and initial"}


@dataclass(frozen=True)
class ClassifierSettings:
    school: SchoolSettings
    roster: Roster = field(default_factory=Roster)
    thresholds: Mapping[str, float] = field(default_factory=dict)


class Classifier:
    """Build once per school, then call :meth:`classify` on as many posts as needed."""

    version = MODEL_VERSION

    def __init__(self, settings: ClassifierSettings) -> None:
        self.settings = settings
        self._people = PeopleMatcher(settings.roster)
        self._relevance = RelevanceStage(settings.school)
        self._rules = rules()

    def classify(self, posts: Iterable[PostInput], all_relevant: bool = False) -> list[Result]:
        return [self.classify_one(post, all_relevant) for post in posts]

    def classify_one(self, post: PostInput, all_relevant: bool = False) -> Result:
        norm = normalise(post.text)
        named = self._relevance.school_named(norm)
        school_context = bool(named) or self._relevance.has_school_words(norm)
        mentions = self._people.find(norm, school_context or all_relevant)
        strong = [m for m in mentions if m.how in _STRONG]
        relevance = self._relevance.judge(norm, strong)
        relevant = all_relevant or relevance.relevant
        if not relevant:
            return Result(post.id, False, (), tuple(mentions))
        flags = self._pattern_flags(norm, mentions, bool(named))
        flags += self._pupil_flags(norm, mentions)
        kept = [f for f in flags if f.score >= self._threshold(f.category)]
        return Result(post.id, True, tuple(_merge(kept)), tuple(mentions))

    def _threshold(self, category: str) -> float:
        return self.settings.thresholds.get(category, DEFAULT_THRESHOLD)

    def _pattern_flags(self, norm: Normalised, mentions: list[Mention], named: bool) -> list[Flag]:
        target = _target(norm, mentions, named)
        flags: list[Flag] = []
        for rule in self._rules:
            matches = list(rule.pattern.finditer(norm.text))
            if not matches:
                continue
            if rule.needs_target and target is None:
                continue
            evidence = tuple(_evidence(norm, m.start(), m.end()) for m in matches)
            flags.append(
                Flag(
                    category=rule.category,
                    score=rule.score,
                    severity=DEFAULT_SEVERITY[rule.category],
                    evidence=evidence,
                    reason=_reason(rule, evidence, target),
                    stage="patterns",
                )
            )
        return flags

    def _pupil_flags(self, norm: Normalised, mentions: list[Mention]) -> list[Flag]:
        pupils = [m for m in mentions if m.kind == "pupil" and not m.own_child]
        if not pupils:
            return []
        strongest = 0.9 if any(m.how in _STRONG for m in pupils) else 0.6
        hows = sorted({m.how for m in pupils})
        return [
            Flag(
                category="pupil",
                score=strongest,
                severity=DEFAULT_SEVERITY["pupil"],
                evidence=tuple(
                    Evidence(m.start, m.end, norm.original[m.start : m.end]) for m in pupils
                ),
                reason=f"names a pupil on the roster ({', '.join(hows)})",
                stage="people",
            )
        ]


def _evidence(norm: Normalised, start: int, end: int) -> Evidence:
    o_start, o_end = norm.span(start, end)
    return Evidence(o_start, o_end, norm.original[o_start:o_end])


def _target(norm: Normalised, mentions: list[Mention], named: bool) -> str | None:
    """Who the words are aimed at: a named person, the school, or its staff."""
    for mention in mentions:
        if not mention.own_child:
            return f"{mention.kind} {mention.display}" if mention.kind == "staff" else "a pupil"
    if named:
        return "the school"
    word = STAFF_OR_SCHOOL_WORDS.search(norm.text)
    if word:
        return f"'{word.group(0)}'"
    return None


def _reason(rule: PatternRule, evidence: tuple[Evidence, ...], target: str | None) -> str:
    words = ", ".join(repr(e.text) for e in evidence[:3])
    aimed = f", aimed at {target}" if target and rule.needs_target else ""
    return f"{rule.name}: {words}{aimed} (rule stage)"


def _merge(flags: list[Flag]) -> list[Flag]:
    """One flag per category: the highest score, with every stage's evidence."""
    by_category: dict[str, Flag] = {}
    for flag in flags:
        best = by_category.get(flag.category)
        if best is None:
            by_category[flag.category] = flag
            continue
        top, other = (flag, best) if flag.score > best.score else (best, flag)
        by_category[flag.category] = Flag(
            category=top.category,
            score=top.score,
            severity=top.severity,
            evidence=top.evidence + tuple(e for e in other.evidence if e not in top.evidence),
            reason=f"{top.reason}; {other.reason}",
            stage=top.stage if top.stage == other.stage else f"{top.stage}+{other.stage}",
        )
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(by_category.values(), key=lambda f: order[f.category])


__all__ = ["DEFAULT_THRESHOLD", "Classifier", "ClassifierSettings"]
