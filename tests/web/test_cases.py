from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditEvent, Case, CaseEvent, Flag, OutboxEmail, Post, utcnow
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


def _grow(app: App, reference: str, extra: int) -> None:
    """``extra`` more flagged posts on the case, each saying its number."""
    with app.sessions.begin() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        assert case is not None
        for n in range(extra):
            post = Post(platform="x", external_id=f"grown{n}", text=f"grown post number {n}",
                        content_sha256="0" * 64, relevant=True, case=case)  # fmt: skip
            post.flags.append(Flag(category="offensive", severity="medium", score=0.9,
                                   evidence=[], reason="test", stage="patterns",
                                   model_version="test", created_at=utcnow()))  # fmt: skip
            session.add(post)


def _shown(html: str) -> list[str]:
    return re.findall(r"grown post number (\d+)", html)


def test_a_case_with_many_posts_shows_them_twenty_a_page_with_drafts_on_every_page(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    reference = seeded["3"]
    _grow(app, reference, 44)  # with its own post: 45, three pages
    login(client, users["dsl"])
    first = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "<mark>I&#39;ll batter</mark>" in first and _shown(first) == [str(n) for n in range(19)]
    assert "Posts 1–20 of 45" in first and "Page 1 of 3" in first
    assert f'href="/cases/{reference}?page=2"' in first and 'rel="prev"' not in first
    last = client.get(f"/cases/{reference}?page=3").get_data(as_text=True)
    assert (
        _shown(last) == [str(n) for n in range(39, 44)]
        and "<mark>I&#39;ll batter</mark>" not in last
    )
    assert "Posts 41–45 of 45" in last and 'rel="next"' not in last
    assert f'name="next" value="/cases/{reference}?page=3"' in last  # decisions come back here
    for html in (first, last):
        assert "Report to the platform" in html and "Report to the police" in html
    beyond = client.get(f"/cases/{reference}?page=99").get_data(as_text=True)
    assert _shown(beyond) == _shown(last)
    with app.sessions() as session:
        details = session.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.action == "view_case")
            .order_by(AuditEvent.id)
        ).all()
    assert list(details) == ["page=1", "page=3", "page=3"]


def test_a_case_with_twenty_posts_or_fewer_has_no_pages(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    reference = seeded["3"]
    _grow(app, reference, 19)
    login(client, users["staff"])
    html = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert len(_shown(html)) == 19 and "Page 1 of" not in html and "Posts 1–" not in html
