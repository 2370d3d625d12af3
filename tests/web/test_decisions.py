from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditEvent, CaseEvent, Flag, TrainingLabel
from monitor.app import App
from tests.web.conftest import flag_id, login, post_form, stored_case, stored_flag


def _labels(app: App) -> list[TrainingLabel]:
    with app.sessions() as session:
        return list(session.scalars(select(TrainingLabel).order_by(TrainingLabel.id)))


def _audit(app: App, action: str) -> list[AuditEvent]:
    with app.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_staff_confirm_a_flag_and_its_case_is_confirmed(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    fid = flag_id(app, "3")
    status, location = post_form(client, f"/flags/{fid}/confirm", {"next": "/?status=open"})
    assert (status, location) == (302, "/?status=open")
    assert stored_flag(app, fid).status == "confirmed"
    assert stored_case(app, seeded["3"]).status == "confirmed"
    [label] = _labels(app)
    assert (label.decision, label.labels, label.actor) == ("confirm", ["threat"], users["staff"])
    assert [e.object_id for e in _audit(app, "flag_confirm")] == [str(fid)]
    with app.sessions() as session:
        actions = session.scalars(select(CaseEvent.action).order_by(CaseEvent.id)).all()
    assert "confirm" in actions and "status" in actions


def test_dismissing_every_flag_dismisses_the_case_with_the_reason(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["dsl"])
    fid = flag_id(app, "2")
    status, _ = post_form(client, f"/flags/{fid}/dismiss", {"reason": "not_our_school"})
    assert status == 302
    assert stored_flag(app, fid).status == "dismissed"
    assert stored_case(app, seeded["2"]).status == "dismissed"
    [label] = _labels(app)
    assert (label.decision, label.labels, label.reason) == ("dismiss", [], "not_our_school")
    assert len(_audit(app, "flag_dismiss")) == 1


def test_a_dismissal_needs_one_of_the_listed_reasons(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    fid = flag_id(app, "2")
    status, _ = post_form(client, f"/flags/{fid}/dismiss", {"reason": "felt like it"})
    assert status == 400
    assert stored_flag(app, fid).status == "open"
    assert _labels(app) == []


def test_changing_the_category_confirms_it_under_the_new_one(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    fid = flag_id(app, "2")
    status, _ = post_form(client, f"/flags/{fid}/category", {"category": "bullying"})
    assert status == 302
    flag = stored_flag(app, fid)
    assert (flag.category, flag.severity, flag.status) == ("bullying", "medium", "confirmed")
    case = stored_case(app, seeded["2"])
    assert (case.categories, case.severity, case.status) == (["bullying"], "medium", "confirmed")
    [label] = _labels(app)
    assert (label.decision, label.labels) == ("recategorise", ["bullying"])
    assert _audit(app, "flag_recategorise")[0].detail == "pupil -> bullying"


def test_an_unknown_category_is_refused(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    fid = flag_id(app, "2")
    assert post_form(client, f"/flags/{fid}/category", {"category": "rude"})[0] == 400
    assert stored_flag(app, fid).category == "pupil"


def test_a_note_is_kept_with_the_case_the_audit_log_and_the_labels(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    with app.sessions() as session:
        post_id = session.get(Flag, flag_id(app, "3")).post_id  # type: ignore[union-attr]
    status, _ = post_form(client, f"/posts/{post_id}/note", {"note": "Parent spoke to me at 3pm"})
    assert status == 302
    [label] = _labels(app)
    assert (label.decision, label.note) == ("note", "Parent spoke to me at 3pm")
    assert len(_audit(app, "note")) == 1
    html = client.get(f"/cases/{seeded['3']}").get_data(as_text=True)
    assert "Parent spoke to me at 3pm" in html


def test_an_empty_note_is_refused(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    assert post_form(client, "/posts/1/note", {"note": ""})[0] == 400


def test_a_decision_without_a_csrf_token_is_refused(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    fid = flag_id(app, "3")
    assert client.post(f"/flags/{fid}/confirm").status_code == 400
    assert client.post(f"/flags/{fid}/confirm", data={"csrf_token": "forged"}).status_code == 400
    assert stored_flag(app, fid).status == "open"


def test_a_decision_on_a_missing_flag_is_404(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    assert post_form(client, "/flags/99999/confirm")[0] == 404


def test_confirming_a_flag_of_a_dismissed_case_reopens_it_for_leaders_only(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    fid = flag_id(app, "2")
    login(client, users["dsl"])  # a high flag: only a leader may dismiss it
    post_form(client, f"/flags/{fid}/dismiss", {"reason": "not_inappropriate"})
    assert stored_case(app, seeded["2"]).status == "dismissed"
    login(client, users["staff"])
    post_form(client, f"/flags/{fid}/confirm")
    assert (stored_flag(app, fid).status, stored_case(app, seeded["2"]).status) == (
        "confirmed",
        "dismissed",
    )
    login(client, users["headteacher"])
    post_form(client, f"/flags/{fid}/confirm")
    assert stored_case(app, seeded["2"]).status == "confirmed"
