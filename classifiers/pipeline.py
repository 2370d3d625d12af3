"""The classifier: named pure stages merged by a target-aware decision.

normalise -> relevance -> people (roster) -> patterns (regex lexicon) and cues (spaCy Matcher)
-> learned model (TF-IDF + calibrated linear, one per category) -> decision. Every flag says
which stage raised it, on which words, and at whom it was aimed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from classifiers.cues import Cue, cue_matcher
from classifiers.decision import AREA_GATE, Prepared, decide
from classifiers.learned import (
    PUPIL_TOKEN,
    SAFETY_TOKEN,
    SCHOOL_TOKEN,
    STAFF_TOKEN,
    LearnedModel,
    ModelError,
    feature_rows,
    masked_text,
    shipped_model,
)
from classifiers.normalise import normalise
from classifiers.patterns import MAYBE_DISGUISED, SAFETY_MEASURES, disguised, rules
from classifiers.people import PeopleMatcher
from classifiers.relevance import ABOUT, UNSURE, RelevanceStage
from classifiers.suppress import Suppression, suppress
from classifiers.types import PostInput, Result
from config import Roster, SchoolSettings
from config.settings import DEFAULT_THRESHOLD

RULES_VERSION = "rules-0.12"
MODEL_VERSION = RULES_VERSION
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClassifierSettings:
    school: SchoolSettings
    roster: Roster = field(default_factory=Roster)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    use_model: bool = True
    model_path: Path | None = None  # None: the model shipped with Schoolwatch
    # The school's "not a concern here" rules, applied after the decision, before any flag is
    # raised; they never touch threat, racist or selfharm (classifiers/suppress.py).
    suppressions: tuple[Suppression, ...] = ()


class Classifier:
    """Build once per school, then call :meth:`classify` on as many posts as needed."""

    def __init__(self, settings: ClassifierSettings, model: LearnedModel | None = None) -> None:
        self.settings = settings
        self._people = PeopleMatcher(settings.roster)
        self._relevance = RelevanceStage(settings.school)
        self._rules = rules()
        self._cues = cue_matcher()
        self._model = model
        self._model_tried = model is not None or not settings.use_model

    @property
    def model(self) -> LearnedModel | None:
        if not self._model_tried:
            self._model_tried = True
            try:
                if self.settings.model_path is None:
                    self._model = shipped_model()
                else:
                    self._model = shipped_model(self.settings.model_path)
            except ModelError as exc:
                log.warning("classifying with rules only: %s", exc)
        return self._model

    @property
    def version(self) -> str:
        """Stored on every flag as ``model_version``."""
        model = self.model
        return f"{RULES_VERSION}+{model.version}" if model else RULES_VERSION

    def threshold(self, category: str) -> float:
        """For rule, cue and roster scores: the config's value, else 0.5."""
        return self.settings.thresholds.get(category, DEFAULT_THRESHOLD)

    def model_threshold(self, category: str) -> float:
        """For model scores: the config's value, else the one tuned in training, else 0.5."""
        if category in self.settings.thresholds:
            return self.settings.thresholds[category]
        model = self.model
        if model and category in model.thresholds:
            return model.thresholds[category]
        return DEFAULT_THRESHOLD

    def classify(self, posts: Iterable[PostInput], all_relevant: bool = False) -> list[Result]:
        prepared = self.prepare_scored(posts, all_relevant)
        results = [decide(p, self.threshold, self.model_threshold, self.model) for p in prepared]
        rules = self.settings.suppressions
        if not rules:
            return results
        return [
            suppress(r, f"{p.norm.original}\n{p.norm.text}", rules)
            for r, p in zip(results, prepared, strict=True)
        ]

    def prepare_scored(
        self, posts: Iterable[PostInput], all_relevant: bool = False
    ) -> list[Prepared]:
        """Every stage but the decision, the learned model's scores included: the decision can
        then be taken again under other thresholds without reading the posts again."""
        prepared = [self.prepare(post, all_relevant) for post in posts]
        model = self.model
        relevant = [p for p in prepared if p.relevant]
        if model is not None and relevant:
            scores, words = model.score_batch([p.model_text for p in relevant])
            rows = feature_rows(words)
            for item, row, word_row in zip(relevant, scores, rows, strict=True):
                item.model_scores = dict(zip(model.categories, map(float, row), strict=True))
                item.word_row = word_row
        return prepared

    def classify_one(self, post: PostInput, all_relevant: bool = False) -> Result:
        return self.classify([post], all_relevant)[0]

    def prepare(self, post: PostInput, all_relevant: bool = False) -> Prepared:
        """Every rule stage for one post; the model and the decision come after."""
        norm = normalise(post.text)
        named = self._relevance.school_named(norm)
        school_context = bool(named) or self._relevance.has_school_words(norm)
        found_for_us = all_relevant or post.scope == "school"
        doc = self._people.tokenise(norm.text)
        mentions = self._people.find(norm, school_context or found_for_us, doc)
        relevance = self._relevance.judge(norm, mentions, named)
        # Relevance demotes, it never silently gates: a post found for the school stays in unless
        # it says it is about something else; a broad source's post with nothing tying it to the
        # school is still read, and kept only for a strong safety flag (see decide()).
        gate = None
        if all_relevant:
            relevant, reason = True, "treated as about the school (--all-relevant)"
        elif relevance.verdict == ABOUT:
            relevant, reason = True, relevance.reason
        elif relevance.verdict == UNSURE and post.scope == "school":
            relevant = True
            reason = "found by a search for the school or on its own channels; " + relevance.reason
        elif relevance.verdict == UNSURE:
            relevant, reason, gate = True, relevance.reason, AREA_GATE
        else:
            relevant, reason = False, relevance.reason
        spans = [(e.start, e.end, SCHOOL_TOKEN) for e in named]
        spans += [
            (m.start, m.end, PUPIL_TOKEN if m.kind == "pupil" else STAFF_TOKEN) for m in mentions
        ]
        spans += [
            (*norm.span(m.start(), m.end()), SAFETY_TOKEN)
            for m in SAFETY_MEASURES.finditer(norm.text)
        ]
        cues: list[Cue] = self._cues.find(norm.text, doc) if relevant else []
        hits = []
        if relevant:
            maybe_disguised = MAYBE_DISGUISED.search(norm.original) is not None
            for rule in self._rules:
                if rule.disguised_only and not maybe_disguised:
                    continue  # no star, digit or spelt-out letters next to a letter: nothing hidden
                found = [(m.start(), m.end()) for m in rule.pattern.finditer(norm.text)]
                if rule.disguised_only:
                    own = [norm.original[slice(*norm.span(s, e))] for s, e in found]
                    found = [span for span, text in zip(found, own, strict=True) if disguised(text)]
                if found:
                    hits.append((rule, found))
        return Prepared(
            id=post.id,
            norm=norm,
            relevant=relevant,
            named=tuple(named),
            mentions=tuple(mentions),
            cues=tuple(cues),
            rule_hits=tuple(hits),
            model_text=masked_text(norm, spans),
            relevance=reason,
            gate=gate,
        )


__all__ = ["DEFAULT_THRESHOLD", "MODEL_VERSION", "Classifier", "ClassifierSettings"]
