"""The school's own adjustments on the review page: model versions, calibration applied by the
Headteacher alone, and "not a concern here" rules that never touch threat, racist or selfharm."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from classifiers import PostInput
from config import Settings
from models import (
    AuditEvent,
    Flag,
    Post,
    SchoolRule,
    ThresholdOverride,
    TrainingLabel,
    User,
    utcnow,
)
from monitor.app import App
from monitor.calibration import calibrate, suggest
from monitor.cycle import run_cycle
from monitor.registry import Registry
from monitor.schoolrules import NotAllowed, active_rules, apply_threshold, safety_ceiling
from tests.web.conftest import flag_id, login, post_form

COMPLAINT = (
    "Roose Primary still hasn't replied to my email about the {}, absolutely appalling, "
    "the school never listens, not good enough"
)
TOPICS = ["reading books", "homework app", "lunch menu", "school trip", "uniform", "PE kit",
          "parking", "after school club", "swimming", "nativity", "spelling tests", "phonics",
          "sports day", "music lessons", "school photos", "book fair", "harvest festival",
          "class assembly"]  # fmt: skip


def _actions(app: App) -> list[str]:
    with app.sessions() as session:
        return list(session.scalars(select(AuditEvent.action)))


def _add_posts(app: App, settings: Settings, texts: list[str], prefix: str) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    with path.open("a") as handle:
        for number, text in enumerate(texts):
            handle.write(json.dumps({"id": f"{prefix}{number}", "text": text}) + "\n")
    run_cycle(app, "imported", send=False)


@pytest.mark.parametrize("role", ["dsl", "staff"])
def test_only_the_headteacher_applies_a_threshold(
    client: FlaskClient, users: dict[str, str], app: App, role: str
) -> None:
    login(client, users[role])
    status, _ = post_form(client, "/calibration/complaint", {"value": "0.9"})
    assert status == 403
    with app.sessions() as session:
        assert session.scalar(select(ThresholdOverride)) is None
        user = session.scalar(select(User).where(User.email == users[role]))
        assert user is not None
        with pytest.raises(NotAllowed):
            apply_threshold(session, user, "complaint", 0.9, 0.8)


def test_the_headteacher_applies_a_threshold_which_is_audited_and_used(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    assert client.get("/calibration").status_code == 200
    status, location = post_form(client, "/calibration/complaint", {"value": "0.9"})
    assert (status, location) == (302, "/calibration")
    assert app.classifier.model_threshold("complaint") == 0.9
    with app.sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "threshold_applied"))
    assert event is not None and event.actor == users["headteacher"]
    assert event.detail is not None and "0.90" in event.detail


def test_calibration_suggests_a_higher_threshold_after_dismissals_and_says_what_would_go(
    app: App, settings: Settings
) -> None:
    _add_posts(app, settings, [COMPLAINT.format(t) for t in TOPICS], "c")
    with app.sessions.begin() as session:
        flags = session.scalars(select(Flag).where(Flag.category == "complaint")).all()
        assert len(flags) >= 10
        for flag in flags:
            flag.status = "dismissed"
            session.add(TrainingLabel(post_id=flag.post_id, flag_id=flag.id, decision="dismiss",
                                      labels=[], actor="head@school.example",
                                      created_at=utcnow()))  # fmt: skip
    with app.sessions() as session:
        found = {s.category: s for s in calibrate(session, app.classifier, settings)}
    complaint = found["complaint"]
    assert complaint.precision == 0.0
    assert complaint.suggested is not None and complaint.suggested > complaint.current
    assert complaint.gone >= 1 and complaint.come == 0
    assert found["threat"].suggested is None and "too few" in found["threat"].why


def test_a_not_a_concern_here_rule_is_made_listed_applied_and_removed(
    client: FlaskClient, users: dict[str, str], app: App, settings: Settings,
    seeded: dict[str, str],
) -> None:  # fmt: skip
    login(client, users["dsl"])
    pupil = flag_id(app, "2", "pupil")
    status, _ = post_form(client, f"/flags/{pupil}/not-here",
                          {"phrase": "Roose Primary again", "why": "the Roose Primary again "
                           "quiz night", "days": "30"})  # fmt: skip
    assert status == 302
    with app.sessions() as session:
        rule = session.scalar(select(SchoolRule))
        flag = session.get(Flag, pupil)
        assert rule is not None and rule.categories == ["pupil"]
        assert rule.expires_at is not None and flag is not None and flag.status == "dismissed"
    assert "school_rule_created" in _actions(app)
    page = client.get("/rules").get_data(as_text=True)
    assert "Roose Primary again" in page and "quiz night" in page
    _add_posts(app, settings, ["Jayden Nowak at Roose Primary again tonight"], "r")
    with app.sessions() as session:
        post = session.scalar(select(Post).where(Post.external_id == "r0"))
        assert post is not None and "pupil" not in {f.category for f in post.flags}
    status, _ = post_form(client, f"/rules/{rule.id}/remove", token_from="/rules")
    assert status == 302
    assert "school_rule_removed" in _actions(app)
    with app.sessions() as session:
        assert active_rules(session) == []


def test_no_rule_is_made_from_a_threat_flag(
    client: FlaskClient, users: dict[str, str], app: App, seeded: dict[str, str]
) -> None:
    login(client, users["headteacher"])
    threat = flag_id(app, "3", "threat")
    status, _ = post_form(client, f"/flags/{threat}/not-here", {"phrase": "Roose Primary"})
    assert status == 302
    with app.sessions() as session:
        assert session.scalar(select(SchoolRule)) is None
        flag = session.get(Flag, threat)
        assert flag is not None and flag.status != "dismissed"


def test_staff_cannot_make_rules_and_an_expired_rule_stops_nothing(
    client: FlaskClient, users: dict[str, str], app: App, seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    pupil = flag_id(app, "2", "pupil")
    status, _ = post_form(client, f"/flags/{pupil}/not-here", {"phrase": "Roose Primary again"})
    assert status == 403
    with app.sessions.begin() as session:
        session.add(SchoolRule(phrase="Roose Primary again", categories=["pupil"], reason="x",
                               actor="dsl@school.example",
                               created_at=utcnow() - timedelta(days=40),
                               expires_at=utcnow() - timedelta(days=10)))  # fmt: skip
    with app.sessions() as session:
        assert active_rules(session) == []


def test_the_model_page_shows_versions_and_why_for_the_headteacher_only(
    web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str], app: App
) -> None:
    dsl, head = web_clients
    Registry(app.settings.data_dir).record(
        "tfidf-lr-x-school",
        "refused",
        "threat recall on dev-3 falls from 0.90 to 0.80",
        {},
        "2026-12-04T06:00:00+00:00",
    )
    login(dsl, users["dsl"])
    assert dsl.get("/model").status_code == 403
    login(head, users["headteacher"])
    page = head.get("/model").get_data(as_text=True)
    assert "tfidf-lr-x-school" in page and "threat recall on dev-3 falls" in page


VIOLENT = ["Roose Primary's head wants a slap for that letter",
           "I'd happily throttle whoever runs the Roose Primary car park",
           "the Roose Primary PE teacher needs a kicking",
           "Roose Primary teachers deserve a beating for this",
           "honestly could kill the Roose Primary head for this homework",
           "Roose Primary dinner ladies want a smack",
           "I'll batter the Roose Primary lollipop man",
           "watch your back Roose Primary head",
           "Roose Primary needs burning down with the staff in it",
           "someone should sort the Roose Primary caretaker out properly"]  # fmt: skip


def test_a_safety_threshold_is_never_suggested_or_applied_above_the_one_in_force(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    """Every threat flag dismissed: the fit alone would raise the threshold; the ceiling keeps
    threat as sensitive as the model and config make it, and the page refuses a higher value."""
    classifier = app.classifier
    inputs = [PostInput(str(n), text) for n, text in enumerate(VIOLENT)]
    prepared = classifier.prepare_scored(inputs)
    current = classifier.model_threshold("threat")
    decided = [(p, frozenset[str]()) for p in prepared]
    counts = {"threat": (0, len(VIOLENT))}
    free = {s.category: s for s in suggest(classifier, decided, prepared, counts)}["threat"]
    assert free.suggested is not None and free.suggested > current
    ceiling = safety_ceiling(app.settings.thresholds, classifier.model, "threat")
    assert ceiling == current
    limits = {"threat": ceiling}
    bounded = {s.category: s for s in suggest(classifier, decided, prepared, counts, limits)}
    assert bounded["threat"].suggested is None
    assert safety_ceiling(app.settings.thresholds, classifier.model, "complaint") is None

    login(client, users["headteacher"])
    status, _ = post_form(client, "/calibration/threat", {"value": f"{current + 0.1:.2f}"},
                          token_from="/calibration")  # fmt: skip
    assert status == 400
    assert app.classifier.model_threshold("threat") == current
    status, _ = post_form(client, "/calibration/threat", {"value": f"{current - 0.1:.2f}"},
                          token_from="/calibration")  # fmt: skip
    assert status == 302
    assert app.classifier.model_threshold("threat") == pytest.approx(current - 0.1)
    with app.sessions() as session:
        assert [r.category for r in session.scalars(select(ThresholdOverride))] == ["threat"]
