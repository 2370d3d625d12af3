"""The learning loop: a candidate from the school's decisions, the gate, the model index."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from classifiers.corpus import corpus_split, read_labelled
from classifiers.evaluation import CategoryScore, Scores
from classifiers.learned import LearnedModel, load_model, shipped_model
from classifiers.retrain import (
    Verdict,
    dev_posts,
    fit_candidate,
    judge,
    near_duplicate_key,
    split_decisions,
)
from classifiers.training import Example, corpus_examples
from config import CATEGORIES
from models import AuditEvent, Flag, Post, TrainingLabel, utcnow
from monitor.app import App
from monitor.cycle import run_cycle
from monitor.learning import retrain, school_held_back_f1
from monitor.registry import SHIPPED, Registry

COMPLAINTS = [
    "Still no reply from Roose Primary about the {x}, {y}",
    "Roose Primary have ignored three emails about the {x}, {y}",
    "Has anyone else had no answer from Roose Primary about the {x}? {y}",
    "Roose Primary keep fobbing parents off about the {x}, {y}",
    "Asked Roose Primary again about the {x} and got nowhere, {y}",
]
TOPICS = ["reading book scheme", "lunchtime supervision", "broken toilets", "homework app",
          "after school club fees"]  # fmt: skip
TAILS = ["not good enough", "parents deserve better", "so fed up", "really disappointing",
         "how hard is it"]  # fmt: skip
NOTICES = [
    "Roose Primary {x} is on {y}, all welcome",
    "Lovely afternoon at the Roose Primary {x} on {y}",
    "Reminder: Roose Primary {x} this {y}",
    "Thanks to everyone who came to the Roose Primary {x} on {y}",
    "Photos from the Roose Primary {x} on {y} are up",
]
EVENTS = ["carol concert", "harvest festival", "book fair", "sponsored walk", "science week"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def decisions() -> list[tuple[str, list[str]]]:
    """50 decisions: 25 complaints in this school's parents' wording, 25 harmless notices."""
    complaints = [(t.format(x=x, y=y), ["complaint"]) for t, (x, y) in
                  zip(itertools.cycle(COMPLAINTS), itertools.product(TOPICS, TAILS))]  # fmt: skip
    notices = [(t.format(x=x, y=y), []) for t, (x, y) in
               zip(itertools.cycle(NOTICES), itertools.product(EVENTS, DAYS))]  # fmt: skip
    return complaints + notices


def store_decisions(app: App, rows: list[tuple[str, list[str]]]) -> None:
    with app.sessions.begin() as session:
        for number, (text, labels) in enumerate(rows):
            post = Post(platform="x", external_id=f"d{number}", text=text, content_sha256="h")
            session.add(post)
            session.flush()
            session.add(TrainingLabel(post_id=post.id, decision="confirm" if labels else "dismiss",
                                      labels=labels, actor="head@school.example",
                                      reason=None if labels else "not_inappropriate",
                                      created_at=utcnow()))  # fmt: skip


@cache
def small_base() -> tuple[Example, ...]:
    """The corpus's dev split: a stand-in for the shipped data, small enough for a test."""
    return tuple(corpus_examples(read_labelled(corpus_split("dev"))))


@cache
def small_current() -> LearnedModel:
    """A model on the small base alone, with the shipped vectorisers and thresholds."""
    return fit_candidate(list(small_base()), [], shipped_model(), "tfidf-lr-small-base", "dev")


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the loop reads labels like any other job, and training is the slow part."""
    return f"sqlite:///{tmp_path / 'schoolwatch.db'}"


@pytest.fixture
def sqlite_app(app: App) -> Iterator[App]:
    registry = Registry(app.settings.data_dir)
    registry.record("tfidf-lr-small-base", "promoted", "test fixture", {}, "2026-12-01",
                    small_current())  # fmt: skip
    yield app


def test_fifty_decisions_improve_the_schools_held_back_f1(sqlite_app: App) -> None:
    store_decisions(sqlite_app, decisions())
    report = retrain(sqlite_app, base=lambda: list(small_base()), dev=dev_posts())
    before = school_held_back_f1(report, "current")
    after = school_held_back_f1(report, "candidate")
    assert report.decisions == 50 and report.held_back >= 5
    assert before is not None and after is not None
    assert after > before, report.reason
    registry = Registry(sqlite_app.settings.data_dir)
    if report.promoted:
        assert registry.active() == report.version
    else:
        # On this small stand-in for the shipped data the candidate also moves the dev set,
        # and the gate says which figure fell: the model in force stays.
        assert "falls from" in report.reason
        assert registry.active() == "tfidf-lr-small-base"
    with sqlite_app.sessions() as session:
        actions = [e.action for e in session.query(AuditEvent)]
    assert ("model_promoted" if report.promoted else "model_refused") in actions


def test_a_promoted_candidate_comes_into_force_with_its_figures(
    sqlite_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    import monitor.learning as learning

    store_decisions(sqlite_app, decisions())
    monkeypatch.setattr(learning, "judge", lambda before, after: Verdict(True, ("as told",)))
    report = retrain(sqlite_app, base=lambda: list(small_base()), dev=dev_posts()[:40])
    assert report.promoted
    registry = Registry(sqlite_app.settings.data_dir)
    assert registry.active() == report.version
    entry = registry.entries()[-1]
    assert entry["status"] == "promoted" and entry["replaced"] == "tfidf-lr-small-base"
    assert set(entry["figures"]["candidate"]) == {"dev-3", "school held-back"}
    assert registry.path_of(report.version).is_file()
    assert sqlite_app.classifier.version.endswith(report.version)
    # Each flag raised from now on keeps the version that raised it (a 40-character column).
    assert len(sqlite_app.classifier.version) <= 40
    path = sqlite_app.settings.source("imported").path_option("path")
    assert path is not None
    path.write_text('{"id": "t1", "text": "I will batter Mr Okafor outside Roose Primary"}\n')
    run_cycle(sqlite_app, "imported", send=False)
    with sqlite_app.sessions() as session:
        versions = set(session.scalars(select(Flag.model_version)))
    assert versions == {sqlite_app.classifier.version}


def test_retrain_on_the_command_line_says_why_the_model_is_unchanged(
    sqlite_app: App,
    environ: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from monitor.cli import main

    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    config = str(sqlite_app.settings.config_path)
    assert main(["retrain", "--config", config, "--data-dir", "/no/such/folder"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["retrain", "--config", config, "--no-public-data"]) == 0
    assert "refused: the model is unchanged: 0 decisions" in capsys.readouterr().out


def test_too_few_decisions_leave_the_model_unchanged_and_say_why(sqlite_app: App) -> None:
    store_decisions(sqlite_app, decisions()[:5])
    report = retrain(sqlite_app, base=lambda: list(small_base()), dev=dev_posts())
    assert not report.promoted
    assert "unchanged" in report.reason and "5 decisions" in report.reason
    registry = Registry(sqlite_app.settings.data_dir)
    assert registry.active() == "tfidf-lr-small-base"
    assert registry.entries()[-1]["status"] == "refused"


def test_a_candidate_that_loses_threat_recall_is_refused(
    sqlite_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_decisions(sqlite_app, decisions())
    threat = CATEGORIES.index("threat")

    def deaf_to_threats(base: list[Example], *args: object, **kwargs: object) -> LearnedModel:
        model = fit_candidate(base, *args, **kwargs)  # type: ignore[arg-type]
        calibration = np.array(model.calibration)
        calibration[threat] = (0.0, -10.0)  # the model never scores a threat
        return dataclasses.replace(model, calibration=calibration)

    import monitor.learning as learning

    monkeypatch.setattr(learning, "fit_candidate", deaf_to_threats)
    report = retrain(sqlite_app, base=lambda: list(small_base()), dev=dev_posts())
    assert not report.promoted
    assert "threat recall on dev-3 falls" in report.reason
    registry = Registry(sqlite_app.settings.data_dir)
    assert registry.active() == "tfidf-lr-small-base"
    entry = registry.entries()[-1]
    assert entry["status"] == "refused" and entry["file"] is None


def _scores(recall: dict[str, tuple[int, int]], fp: int = 0) -> Scores:
    per = {c: CategoryScore(0, 0, 0) for c in CATEGORIES}
    for category, (tp, fn) in recall.items():
        per[category] = CategoryScore(tp, fp, fn)
    return Scores(per, 100, 50, 0, 0, 0)


def test_the_gate_refuses_any_safety_recall_loss_even_with_a_better_f1() -> None:
    current = {"dev-3": _scores({"threat": (9, 1), "complaint": (2, 8)})}
    candidate = {"dev-3": _scores({"threat": (8, 2), "complaint": (9, 1)})}
    verdict = judge(current, candidate)
    assert not verdict.promote
    assert verdict.reason == "threat recall on dev-3 falls from 0.90 to 0.80"


def test_the_gate_refuses_a_lower_micro_f1_and_promotes_an_equal_or_better_one() -> None:
    current = {"dev-3": _scores({"complaint": (5, 5)})}
    assert not judge(current, {"dev-3": _scores({"complaint": (4, 6)})}).promote
    assert judge(current, current).promote
    assert judge(current, {"dev-3": _scores({"complaint": (6, 4)})}).promote


def test_near_duplicates_are_held_back_together() -> None:
    from classifiers.corpus import LabelledPost

    a = "Roose Primary is a shambles https://t.co/abc #fedup"
    b = "RT @mum: Roose Primary is a shambles!! https://t.co/xyz"
    assert near_duplicate_key(a) == near_duplicate_key(b)
    posts = [LabelledPost(str(i), t, frozenset(), True) for i, t in enumerate([a, b] * 20)]
    train, held = split_decisions(posts)
    assert not train or not held


def test_a_model_version_can_be_restored_with_one_command(
    sqlite_app: App,
    environ: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from monitor.cli import main

    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    data = sqlite_app.settings.data_dir
    registry = Registry(data)
    second = dataclasses.replace(small_current(), version="tfidf-lr-second")
    registry.record("tfidf-lr-second", "promoted", "test", {}, "2026-12-02", second)
    assert registry.active() == "tfidf-lr-second"
    config = str(sqlite_app.settings.config_path)
    assert main(["model", "restore", "tfidf-lr-small-base", "--config", config]) == 0
    assert registry.active() == "tfidf-lr-small-base"
    assert sqlite_app.classifier.version.endswith("tfidf-lr-small-base")
    assert main(["model", "restore", SHIPPED, "--config", config]) == 0
    assert sqlite_app.classifier.version.endswith(shipped_model().version)
    assert main(["model", "list", "--config", config]) == 0
    listed = capsys.readouterr().out
    assert "tfidf-lr-second" in listed and "\n* shipped" in listed
    assert main(["model", "restore", "no-such", "--config", config]) == 2
    loaded = load_model(registry.path_of("tfidf-lr-second"))
    assert loaded.version == "tfidf-lr-second"
    with sqlite_app.sessions() as session:
        assert session.query(AuditEvent).filter_by(action="model_restored").count() == 2


def test_a_missing_model_file_falls_back_to_the_shipped_model(sqlite_app: App) -> None:
    registry = Registry(sqlite_app.settings.data_dir)
    registry.path_of("tfidf-lr-small-base").unlink()
    assert sqlite_app.classifier.version.endswith(shipped_model().version)
