from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditEvent, Case, CaseEvent, Flag, OutboxEmail
from monitor.app import App
from tests.web.conftest import csrf_token, flag_id, login, post_form


def _status(app: App, reference: str) -> str:
    with app.sessions() as session:
        return session.scalar(select(Case.status).where(Case.reference == reference)) or ""


def _moves(html: str) -> list[str]:
    return re.findall(r'name="status" value="([a-z_]+)"', html)


def test_the_case_page_shows_post_timeline_next_step_and_drafts_with_copy_buttons(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    response = client.get(f"/cases/{seeded['3']}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<mark>I&#39;ll batter</mark>" in html
    assert "opened" in html and "flagged: threat" in html  # the timeline
    assert "Contact the police now" in html
    assert "Report to the platform" in html and "Report to the police" in html
    copy_targets = re.findall(r'data-copy="([^"]+)"', html)
    assert copy_targets and all(f'id="{t}"' in html for t in copy_targets)
    with app.sessions() as session:
        viewed = session.scalar(select(AuditEvent).where(AuditEvent.action == "view_case"))
    assert viewed is not None and viewed.object_id == seeded["3"]


def test_staff_may_only_confirm_an_urgent_case_never_dismiss_it(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    assert _moves(client.get(f"/cases/{seeded['3']}").get_data(as_text=True)) == ["confirmed"]
    status, _ = post_form(client, f"/cases/{seeded['3']}/move", {"status": "dismissed"})
    assert status == 403
    post_form(client, f"/flags/{flag_id(app, '3')}/confirm")
    assert _moves(client.get(f"/cases/{seeded['3']}").get_data(as_text=True)) == []
    status, _ = post_form(client, f"/cases/{seeded['3']}/move", {"status": "escalated"})
    assert status == 403
    assert _status(app, seeded["3"]) == "confirmed"


def test_leaders_escalate_and_mark_letters_sent(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["dsl"])
    reference = seeded["3"]
    for target in ("confirmed", "warning_sent", "escalated", "resolved"):
        data = {"status": target, "note": "by phone"}
        status, location = post_form(client, f"/cases/{reference}/move", data)
        assert (status, location) == (302, f"/cases/{reference}"), target
        assert _status(app, reference) == target
    html = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "escalated -&gt; resolved: by phone" in html
    with app.sessions() as session:
        moves = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "case_move"))
        assert list(moves)[-1] == "escalated -> resolved"


def test_a_move_the_workflow_does_not_allow_is_refused(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    status, _ = post_form(client, f"/cases/{seeded['3']}/move", {"status": "resolved"})
    assert status == 403  # new -> resolved is not a move
    assert post_form(client, f"/cases/{seeded['3']}/move", {"status": "flying"})[0] == 403
    assert _status(app, seeded["3"]) == "new"


def test_a_case_move_without_a_csrf_token_is_refused(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    response = client.post(f"/cases/{seeded['3']}/move", data={"status": "confirmed"})
    assert response.status_code == 400
    assert _status(app, seeded["3"]) == "new"


def test_an_unknown_case_is_404(client: FlaskClient, users: dict[str, str]) -> None:
    login(client, users["staff"])
    assert client.get("/cases/SW-1999-0001").status_code == 404


def test_a_staff_dismissal_of_an_urgent_flag_waits_for_a_leaders_sign_off(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    flag = flag_id(app, "3")
    post_form(client, f"/flags/{flag}/dismiss", {"reason": "not_our_school"})
    with app.sessions() as session:
        assert session.get(Flag, flag).status == "open"  # type: ignore[union-attr]
        [ask] = session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "signoff")).all()
        assert set(ask.recipients) == {users["headteacher"], users["dsl"]}
        assert "not about our school" in ask.body_text and "not_our_school" not in ask.body_text
        case = session.scalar(select(Case).where(Case.reference == seeded["3"]))
        assert case is not None and case.severity == "urgent"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, users["dsl"])
    status, _ = post_form(client, f"/flags/{flag}/dismiss", {"reason": "not_our_school"})
    assert status == 302
    with app.sessions() as session:
        assert session.get(Flag, flag).status == "dismissed"  # type: ignore[union-attr]
        events = session.scalars(select(CaseEvent.detail)).all()
    assert any("proposes dismissing" in (e or "") for e in events)
    assert any("threat dismissed: not about our school" in (e or "") for e in events)


def test_a_dismissal_needs_a_chosen_reason(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["dsl"])
    page = client.get("/").get_data(as_text=True)
    assert '<option value="" selected disabled>Choose a reason</option>' in page
    status, _ = post_form(client, f"/flags/{flag_id(app, '3')}/dismiss", {"reason": ""})
    assert status == 400
