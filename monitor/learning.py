"""``schoolwatch retrain`` and its weekly job: a candidate trained on the shipped data plus this
school's decisions, promoted only when the evaluation gate says so (classifiers/retrain.py).
Every candidate, promoted or refused, is listed with its figures in the model index
(monitor/registry.py) and in the audit log."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from classifiers.corpus import LabelledPost
from classifiers.learned import LearnedModel, load_model
from classifiers.retrain import (
    MIN_DECISIONS,
    SCHOOL_SET,
    Verdict,
    dev_posts,
    figures,
    fit_candidate,
    judge,
    measure,
    school_examples,
    shipped_examples,
    split_decisions,
)
from classifiers.training import Example
from models import AuditEvent, utcnow
from monitor.app import App
from monitor.classifier_setup import active_model_path
from monitor.labels import export_labels
from monitor.registry import Registry
from monitor.schoolrules import threshold_overrides

log = logging.getLogger(__name__)


@dataclass
class RetrainReport:
    version: str
    promoted: bool
    reason: str
    decisions: int = 0
    trained_on: int = 0
    held_back: int = 0
    seconds: float = 0.0
    figures: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        verdict = "promoted" if self.promoted else "refused"
        return (f"candidate {self.version} {verdict}: {self.reason} ({self.decisions} decisions, "
                f"{self.trained_on} trained on, {self.held_back} held back; "
                f"{self.seconds:.0f}s)")  # fmt: skip


def decided_posts(app: App) -> list[LabelledPost]:
    """The school's decisions, as labelled posts (newest decision per post)."""
    with app.sessions() as session:
        lines = [json.loads(line) for line in export_labels(session)]
    return [
        LabelledPost(
            id=str(d["id"]),
            text=str(d["text"]),
            labels=frozenset(d["labels"]),
            relevant=bool(d.get("relevant", True)) or bool(d["labels"]),
        )  # fmt: skip
        for d in lines
    ]


def current_model(app: App) -> LearnedModel:
    from classifiers.learned import MODEL_PATH

    return load_model(active_model_path(app.settings) or MODEL_PATH)


def retrain(
    app: App,
    base: Callable[[], list[Example]] | None = None,
    public_data: Path | None = None,
    dev: list[LabelledPost] | None = None,
    actor: str = "system:retrain",
    now: datetime | None = None,
) -> RetrainReport:
    """Train, measure, decide, record. ``base`` gives the shipped training examples (default:
    the corpus, plus ``public_data`` when given); ``dev`` the development set (default dev-3)."""
    started = time.monotonic()
    now = now or datetime.now(UTC)
    version = "tfidf-lr-" + now.strftime("%Y%m%d-%H%M%S") + "-sch"  # flags keep 40 chars
    registry = Registry(app.settings.data_dir)
    posts = decided_posts(app)
    train, held = split_decisions(posts)
    report = RetrainReport(version, False, "", len(posts), len(train), len(held))
    if len(posts) < MIN_DECISIONS or not held:
        report.reason = (f"the model is unchanged: {len(posts)} decisions, at least "
                         f"{MIN_DECISIONS} are needed (and some held back) to judge a "
                         "candidate")  # fmt: skip
        return _record(app, registry, report, None, actor, now, started)
    current = current_model(app)
    school = (app.settings.school, app.settings.roster)
    examples = base() if base is not None else shipped_examples(public_data)
    mine = school_examples(train, *school)
    trained_on = (f"{current.trained_on}; plus {len(mine)} decisions of "
                  f"{app.settings.school.name}")  # fmt: skip
    candidate = fit_candidate(examples, mine, current, version, trained_on)
    with app.sessions() as session:
        thresholds = {**app.settings.thresholds, **threshold_overrides(session)}
    dev = dev if dev is not None else dev_posts()
    before = measure(current, held, school, thresholds, dev)
    after = measure(candidate, held, school, thresholds, dev)
    verdict: Verdict = judge(before, after)
    report.promoted = verdict.promote
    report.reason = verdict.reason
    report.figures = {
        "current": {"version": current.version, **{k: figures(v) for k, v in before.items()}},
        "candidate": {k: figures(v) for k, v in after.items()},
    }
    return _record(app, registry, report, candidate if verdict.promote else None, actor, now,
                   started)  # fmt: skip


def _record(
    app: App,
    registry: Registry,
    report: RetrainReport,
    model: LearnedModel | None,
    actor: str,
    now: datetime,
    started: float,
) -> RetrainReport:
    report.seconds = time.monotonic() - started
    status = "promoted" if report.promoted else "refused"
    figures = {**report.figures, "decisions": report.decisions, "trained_on": report.trained_on,
               "held_back": report.held_back, "seconds": round(report.seconds, 1)}  # fmt: skip
    registry.record(report.version, status, report.reason, figures, now.isoformat(), model)
    with app.sessions.begin() as session:
        session.add(AuditEvent(actor=actor, action=f"model_{status}", object_type="model",
                               object_id=report.version, detail=report.reason[:2000],
                               created_at=utcnow()))  # fmt: skip
    log.info("retrain: %s", report.summary())
    return report


def school_held_back_f1(report: RetrainReport, which: str) -> float | None:
    side = report.figures.get(which, {})
    found = side.get(SCHOOL_SET)
    return None if found is None else float(found["micro_f1"])
