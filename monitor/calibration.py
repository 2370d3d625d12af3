"""Per-school calibration from the reviewers' decisions: per category, the precision of last
term's decided flags, a suggested threshold and what it would have changed. Nothing here
changes a threshold; the Headteacher applies one (monitor/schoolrules.py, audit-logged)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from classifiers import Classifier, PostInput
from classifiers.decision import Prepared, decide
from classifiers.training import SAFETY
from config import CATEGORIES, Settings
from models import Flag, Post, TrainingLabel, utcnow
from monitor.schoolrules import safety_ceiling

TERM_DAYS = 91  # a school term, about thirteen weeks
MIN_DECIDED = 10  # decided posts touching a category before a threshold is suggested for it
TERM_POSTS = 2000  # the newest posts of the term read again for "what it would have changed"
GRID = tuple(round(0.05 + 0.05 * i, 2) for i in range(19))  # as in training: 0.05 .. 0.95


@dataclass(frozen=True)
class Suggestion:
    category: str
    confirmed: int  # decided flags of the term, confirmed
    dismissed: int
    current: float
    suggested: float | None  # None: keep the current one
    why: str
    gone: int = 0  # flags of the term's posts that would not have been raised
    come: int = 0  # flags that would have been raised and were not

    @property
    def precision(self) -> float | None:
        decided = self.confirmed + self.dismissed
        return self.confirmed / decided if decided else None


def _at(classifier: Classifier, category: str, value: float) -> Callable[[str], float]:
    return lambda c: value if c == category else classifier.threshold(c)


def _model_at(classifier: Classifier, category: str, value: float) -> Callable[[str], float]:
    return lambda c: value if c == category else classifier.model_threshold(c)


def _flagged(
    classifier: Classifier, prepared: list[Prepared], category: str, value: float
) -> set[int]:
    threshold, model_threshold = (
        _at(classifier, category, value),
        _model_at(classifier, category, value),
    )
    found = set()
    for index, item in enumerate(prepared):
        result = decide(item, threshold, model_threshold, classifier.model)
        if any(f.category == category for f in result.flags):
            found.add(index)
    return found


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def suggest(
    classifier: Classifier,
    decided: list[tuple[Prepared, frozenset[str]]],
    term: list[Prepared],
    counts: dict[str, tuple[int, int]],
    ceilings: Mapping[str, float] | None = None,
) -> list[Suggestion]:
    """Pure: per category, the threshold with the best F1 against the decisions (a safety
    category never one that loses a confirmed post, nor one above its ceiling: see
    ``monitor.schoolrules.safety_ceiling``), and its effect on the term's posts."""
    out: list[Suggestion] = []
    items = [p for p, _ in decided]
    for category in CATEGORIES:
        confirmed, dismissed = counts.get(category, (0, 0))
        current = classifier.model_threshold(category)
        wanted = {i for i, (_, labels) in enumerate(decided) if category in labels}
        if confirmed + dismissed < MIN_DECIDED:
            out.append(Suggestion(category, confirmed, dismissed, current, None,
                                  f"too few decided flags ({confirmed + dismissed}; "
                                  f"{MIN_DECIDED} are needed)"))  # fmt: skip
            continue
        now = _flagged(classifier, items, category, current)
        was = (_f1(len(now & wanted), len(now - wanted), len(wanted - now)), -len(now - wanted))
        best, best_key = current, was
        for value in GRID:
            hits = _flagged(classifier, items, category, value)
            if category in SAFETY and len(hits & wanted) < len(now & wanted):
                continue  # never trade a confirmed safety flag for quiet
            if ceilings and category in ceilings and value > ceilings[category] + 1e-9:
                continue  # never quieter than the threshold in force without overrides
            # The best F1 against the decisions; between equals, the fewest dismissed flags.
            key = (_f1(len(hits & wanted), len(hits - wanted), len(wanted - hits)),
                   -len(hits - wanted))  # fmt: skip
            same_f1 = abs(key[0] - best_key[0]) <= 1e-9
            if key[0] > best_key[0] + 1e-9 or (same_f1 and key[1] > best_key[1]):
                best, best_key = value, key
        if best == current:
            out.append(Suggestion(category, confirmed, dismissed, current, None,
                                  "the current threshold fits the decisions best"))  # fmt: skip
            continue
        before = _flagged(classifier, term, category, current)
        after = _flagged(classifier, term, category, best)
        why = (f"F1 against the term's decisions {was[0]:.2f} -> {best_key[0]:.2f}; dismissed "
               f"flags among them {-was[1]} -> {-best_key[1]}")  # fmt: skip
        out.append(Suggestion(category, confirmed, dismissed, current, best, why,
                              gone=len(before - after), come=len(after - before)))  # fmt: skip
    return out


def calibrate(
    session: Session, classifier: Classifier, settings: Settings, now: datetime | None = None
) -> list[Suggestion]:
    """Suggestions from the last term's decisions and posts."""
    since = (now or utcnow()) - timedelta(days=TERM_DAYS)
    counts: dict[str, list[int]] = {c: [0, 0] for c in CATEGORIES}
    for category, status in session.execute(
        select(Flag.category, Flag.status).where(Flag.created_at >= since,
                                                 Flag.status.in_(("confirmed", "dismissed")))
    ):  # fmt: skip
        counts.setdefault(category, [0, 0])[0 if status == "confirmed" else 1] += 1
    latest: dict[int, TrainingLabel] = {}
    for row in session.scalars(
        select(TrainingLabel)
        .where(TrainingLabel.decision != "note", TrainingLabel.created_at >= since)
        .order_by(TrainingLabel.id)
    ):  # fmt: skip
        latest[row.post_id] = row
    # Reading posts again costs a few milliseconds each: a page must not wait on a whole busy term.
    posts = session.scalars(
        select(Post).where(Post.classified_at >= since, Post.quarantine.is_(None))
        .order_by(Post.id.desc()).limit(TERM_POSTS)
    ).all()  # fmt: skip
    decided_posts = [p for p in (session.get(Post, i) for i in sorted(latest)) if p is not None]

    def read(rows: list[Post]) -> list[Prepared]:
        inputs = [PostInput(str(p.id), p.text, settings.scope_of(p.source_name)) for p in rows]
        return classifier.prepare_scored(inputs)

    decided = list(zip(read(decided_posts), [frozenset(latest[p.id].labels) for p in decided_posts],
                       strict=True))  # fmt: skip
    ceilings = {}
    for category in CATEGORIES:
        ceiling = safety_ceiling(settings.thresholds, classifier.model, category)
        if ceiling is not None:
            ceilings[category] = ceiling
    return suggest(classifier, decided, read(list(posts)),
                   {c: (v[0], v[1]) for c, v in counts.items()}, ceilings)  # fmt: skip
