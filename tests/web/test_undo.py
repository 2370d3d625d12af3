"""Undo within the day: by whoever decided or a leader, until midnight in the school's time zone,
written to the case timeline in words and to the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditEvent, CaseEvent, Decision, Flag, User, utcnow
from monitor.app import App
from monitor.labels import export_labels
from monitor.web.undo import undo_until
from tests.web.conftest import flag_id, login, password_hash, post_form, stored_case, stored_flag

LONDON = ZoneInfo("Europe/London")


def _decision(app: App) -> Decision:
    with app.sessions() as session:
        decision = session.scalar(select(Decision).order_by(Decision.id.desc()))
        assert decision is not None
        return decision


def _made_at(app: App, decision_id: int, when: datetime) -> None:
    with app.sessions.begin() as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None
        decision.created_at = when


def test_staff_undo_their_confirmation_and_the_case_is_new_again(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    fid = flag_id(app, "3")
    post_form(client, f"/flags/{fid}/confirm")
    decision = _decision(app)
    assert (decision.kind, decision.actor) == ("confirm", users["staff"])
    assert f"/decisions/{decision.id}/undo" in client.get("/").get_data(as_text=True)
    status, _ = post_form(client, f"/decisions/{decision.id}/undo", {"next": "/"})
    assert status == 302
    assert stored_flag(app, fid).status == "open"
    assert stored_case(app, seeded["3"]).status == "new"
    assert _decision(app).undone_by == users["staff"]
    with app.sessions() as session:
        audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "flag_undo"))
        timeline = session.scalars(select(CaseEvent.detail).where(CaseEvent.action == "undo"))
        worded = list(timeline)
    assert audit is not None and audit.object_id == str(fid)
    assert worded == [f"{users['staff']} undid the confirmation of the threat flag: the flag is "
                      "threat, open again; the case is new again"]  # fmt: skip
    html = client.get("/").get_data(as_text=True)
    assert "Undone: the confirmation of the threat flag." in html
    assert f"/decisions/{decision.id}/undo" not in html  # once only
    status, _ = post_form(client, f"/decisions/{decision.id}/undo")
    assert status == 403


def test_someone_else_on_the_staff_cannot_undo_but_a_leader_can(
    web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str],
    seeded: dict[str, str], app: App,
) -> None:  # fmt: skip
    with app.sessions.begin() as session:
        session.add(User(email="ta@school.example", password_hash=password_hash(), role="staff",
                         active=True, created_at=utcnow()))  # fmt: skip
    first, second = web_clients
    login(first, users["staff"])
    fid = flag_id(app, "2")
    post_form(first, f"/flags/{fid}/category", {"category": "bullying"})
    decision = _decision(app)
    login(second, "ta@school.example")
    assert f"/decisions/{decision.id}/undo" not in second.get("/?status=all").get_data(as_text=True)
    status, _ = post_form(second, f"/decisions/{decision.id}/undo")
    assert status == 403
    assert stored_flag(app, fid).category == "bullying"
    leader = second.application.test_client()
    login(leader, users["dsl"])
    assert f"/decisions/{decision.id}/undo" in leader.get("/?status=all").get_data(as_text=True)
    status, _ = post_form(leader, f"/decisions/{decision.id}/undo")
    assert status == 302
    flag = stored_flag(app, fid)
    assert (flag.category, flag.severity, flag.status) == ("pupil", "high", "open")
    with app.sessions() as session:
        detail = session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "flag_undo"))
    assert detail is not None and f"(the decision was {users['staff']}'s)" in detail
    assert "change of category from pupil to bullying" in detail


def test_undo_ends_at_midnight_in_the_school_time_zone(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["dsl"])
    fid = flag_id(app, "4")
    post_form(client, f"/flags/{fid}/dismiss", {"reason": "not_inappropriate"})
    decision = _decision(app)
    today = utcnow().astimezone(LONDON).date()
    last_night = datetime.combine(today, datetime.min.time(), LONDON) - timedelta(minutes=1)
    _made_at(app, decision.id, last_night.astimezone(UTC))
    assert f"/decisions/{decision.id}/undo" not in client.get("/?status=all").get_data(as_text=True)
    status, _ = post_form(client, f"/decisions/{decision.id}/undo")
    assert status == 403
    assert stored_flag(app, fid).status == "dismissed"
    this_morning = datetime.combine(today, datetime.min.time(), LONDON) + timedelta(minutes=1)
    _made_at(app, decision.id, min(this_morning.astimezone(UTC), utcnow()))
    status, _ = post_form(client, f"/decisions/{decision.id}/undo")
    assert status == 302
    assert stored_flag(app, fid).status == "open"
    assert stored_case(app, seeded["4"]).status == "new"


def test_undo_until_is_the_school_midnight_across_a_clock_change() -> None:
    # 26 Oct 2025 in London is 25 hours long: it starts in summer time and ends in GMT
    assert undo_until(datetime(2025, 10, 25, 22, 30, tzinfo=UTC), "Europe/London") == datetime(
        2025, 10, 25, 23, 0, tzinfo=UTC
    )
    assert undo_until(datetime(2025, 10, 25, 23, 30, tzinfo=UTC), "Europe/London") == datetime(
        2025, 10, 27, 0, 0, tzinfo=UTC
    )
    assert undo_until(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "Europe/London") == datetime(
        2026, 7, 1, 23, 0, tzinfo=UTC
    )


def test_a_decision_changed_since_cannot_be_undone_before_the_later_one(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["dsl"])
    fid = flag_id(app, "3")
    post_form(client, f"/flags/{fid}/confirm")
    first = _decision(app)
    post_form(client, f"/flags/{fid}/dismiss", {"reason": "not_inappropriate"})
    status, _ = post_form(client, f"/decisions/{first.id}/undo")
    assert status == 403
    assert stored_flag(app, fid).status == "dismissed"


def test_a_case_move_is_undone_from_the_case_page(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    reference = seeded["3"]
    page = f"/cases/{reference}"
    post_form(client, f"{page}/move", {"status": "confirmed"}, token_from=page)
    post_form(client, f"{page}/move", {"status": "parent_contacted"}, token_from=page)
    decision = _decision(app)
    html = client.get(page).get_data(as_text=True)
    assert "Undo the move of the case from confirmed to parent contacted" in html
    status, _ = post_form(client, f"/decisions/{decision.id}/undo", {"next": page}, page)
    assert status == 302
    assert stored_case(app, reference).status == "confirmed"
    html = client.get(page).get_data(as_text=True)
    assert "undid the move of the case from confirmed to parent contacted" in html


def test_an_undone_post_leaves_the_training_labels(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    post_form(client, f"/flags/{flag_id(app, '3')}/confirm")
    with app.sessions() as session:
        assert len(list(export_labels(session))) == 1
    post_form(client, f"/decisions/{_decision(app).id}/undo")
    with app.sessions() as session:
        assert list(export_labels(session)) == []


def test_a_missing_decision_is_404(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    assert post_form(client, "/decisions/999/undo")[0] == 404


def test_undoing_one_confirmation_keeps_the_case_confirmed_while_another_flag_is(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    threat = flag_id(app, "3")
    with app.sessions.begin() as session:
        post_id = session.get(Flag, threat).post_id  # type: ignore[union-attr]
        session.add(Flag(post_id=post_id, category="offensive", score=0.8, severity="medium",
                         evidence=[], reason="offensive words", stage="rules",
                         model_version="test", status="open", created_at=utcnow()))  # fmt: skip
    offensive = flag_id(app, "3", "offensive")
    login(client, users["staff"])
    post_form(client, f"/flags/{threat}/confirm")
    mine = _decision(app)
    post_form(client, f"/flags/{offensive}/confirm")
    assert stored_case(app, seeded["3"]).status == "confirmed"
    status, _ = post_form(client, f"/decisions/{mine.id}/undo")
    assert status == 302
    assert stored_flag(app, threat).status == "open"
    assert (
        stored_case(app, seeded["3"]).status == "confirmed"
    )  # the offensive flag still confirms it
