"""The compact queue: one row per post, chosen with view=compact|full and kept in the session,
the default on phones; and bulk confirm and dismiss of the chosen rows."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditEvent, Flag, OutboxEmail, Post
from monitor.app import App
from monitor.web.views.present import age
from tests.web.conftest import HOSTILE, csrf_token, login, post_form

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
)


def _rows(html: str) -> list[str]:
    return re.findall(r'<li class="row [a-z]+">.*?class="case-link" href="/cases/([^"]+)"', html,
                      re.DOTALL)  # fmt: skip


def _post_ids(app: App, *external_ids: str) -> list[str]:
    with app.sessions() as session:
        rows = session.scalars(select(Post.id).where(Post.external_id.in_(external_ids)))
        return [str(i) for i in rows]


def _statuses(app: App) -> dict[str, str]:
    with app.sessions() as session:
        rows = session.execute(select(Post.external_id, Flag.category, Flag.status).join(Post))
        return {f"{e}:{c}": s for e, c, s in rows}


def test_the_compact_view_is_one_row_per_post_urgent_first(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    html = client.get("/?view=compact").get_data(as_text=True)
    assert _rows(html) == [seeded["3"], seeded["4"], seeded["2"]]
    assert html.count('type="checkbox" name="post"') == 3
    assert '<article class="item' not in html
    assert "Reddit" in html and "threat" in html and "pupil" in html
    assert 'datetime="2026-11-20T10:00:00+00:00"' in html
    assert "20 Nov 2026 10:00 GMT" in html  # the age's title, in the school's time zone


def test_the_chosen_view_is_remembered_in_the_session(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    assert '<article class="item' in client.get("/").get_data(as_text=True)
    client.get("/?view=compact")
    assert '<li class="row' in client.get("/?status=all").get_data(as_text=True)
    client.get("/?view=full")
    assert '<article class="item' in client.get("/").get_data(as_text=True)


def test_a_phone_gets_the_compact_view_unless_it_chose_the_full_one(
    web: Flask, users: dict[str, str], seeded: dict[str, str]
) -> None:
    client = web.test_client()
    client.environ_base["HTTP_USER_AGENT"] = PHONE
    login(client, users["staff"])
    assert '<li class="row' in client.get("/").get_data(as_text=True)
    client.get("/?view=full")
    assert '<article class="item' in client.get("/").get_data(as_text=True)


def test_a_hostile_post_renders_inert_in_a_compact_row(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    html = client.get("/?view=compact").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert HOSTILE not in html


def test_age_reads_the_calendar_in_the_school_time_zone(web: Flask) -> None:
    now = datetime(2026, 7, 4, 23, 30, tzinfo=UTC)  # 00:30 on 5 July in London
    with web.app_context():
        assert age(datetime(2026, 7, 4, 23, 10, tzinfo=UTC), now) == "20 min ago"
        assert age(datetime(2026, 7, 4, 22, 50, tzinfo=UTC), now) == "yesterday 23:50"
        assert age(datetime(2026, 7, 3, 9, 0, tzinfo=UTC), now) == "3 Jul 10:00"
        assert age(datetime(2025, 12, 3, 9, 0, tzinfo=UTC), now) == "3 Dec 2025"


def test_staff_confirm_several_posts_at_once_audited_per_flag(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    chosen = _post_ids(app, "2", "3")
    token = csrf_token(client, "/?view=compact")
    response = client.post("/flags/bulk", data={"csrf_token": token, "action": "confirm",
                                                "post": chosen, "next": "/"})  # fmt: skip
    assert response.status_code == 302
    statuses = _statuses(app)
    assert statuses["2:pupil"] == statuses["3:threat"] == "confirmed"
    assert statuses["4:threat"] == "open"
    with app.sessions() as session:
        audited = session.scalars(select(AuditEvent).where(AuditEvent.action == "flag_confirm"))
        assert len(list(audited)) == 2
    assert "Confirmed 2 flags." in client.get("/").get_data(as_text=True)


def test_a_bulk_dismissal_needs_a_reason_and_changes_nothing_without_one(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["dsl"])
    before = _statuses(app)
    token = csrf_token(client, "/?view=compact")
    response = client.post("/flags/bulk", data={"csrf_token": token, "action": "dismiss",
                                                "post": _post_ids(app, "2", "3")})  # fmt: skip
    assert response.status_code == 302
    assert _statuses(app) == before
    assert "choose a reason" in client.get("/").get_data(as_text=True)
    status, _ = post_form(client, "/flags/bulk", {"action": "dismiss", "reason": "made_up",
                                                  "post": _post_ids(app, "2")[0]})  # fmt: skip
    assert status == 400 and _statuses(app) == before


def test_a_staff_bulk_dismissal_of_urgent_and_high_flags_asks_for_sign_off(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    token = csrf_token(client, "/?view=compact")
    client.post("/flags/bulk", data={"csrf_token": token, "action": "dismiss",
                                     "reason": "not_our_school",
                                     "post": _post_ids(app, "2", "3", "4")})  # fmt: skip
    assert set(_statuses(app).values()) == {"open"}
    with app.sessions() as session:
        signoffs = session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "signoff"))
        assert len(list(signoffs)) == 3
        proposed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "flag_dismiss_proposed"))  # fmt: skip
        assert len(list(proposed)) == 3
    html = client.get("/").get_data(as_text=True)
    assert "3 flags (high pupil, urgent threat, urgent threat) stay open" in html
    assert "asked to sign off their dismissal" in html


def test_a_leader_bulk_dismissal_dismisses_with_the_reason(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    token = csrf_token(client, "/?view=compact")
    client.post("/flags/bulk", data={"csrf_token": token, "action": "dismiss",
                                     "reason": "not_inappropriate",
                                     "post": _post_ids(app, "3", "4", "1")})  # fmt: skip
    statuses = _statuses(app)
    assert statuses["3:threat"] == statuses["4:threat"] == "dismissed"
    html = client.get("/").get_data(as_text=True)
    assert "Dismissed 2 flags (not inappropriate)." in html
    assert "1 chosen post has no open flag" in html


def test_a_bulk_decision_without_a_csrf_token_is_refused(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    response = client.post("/flags/bulk", data={"action": "confirm",
                                                "post": _post_ids(app, "3")})  # fmt: skip
    assert response.status_code == 400
    assert _statuses(app)["3:threat"] == "open"


def test_a_compact_row_carries_the_undo_of_its_flags_decisions(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    token = csrf_token(client, "/?view=compact")
    client.post("/flags/bulk", data={"csrf_token": token, "action": "confirm",
                                     "post": _post_ids(app, "3")})  # fmt: skip
    html = client.get("/?status=all").get_data(as_text=True)
    [undo] = re.findall(r'formaction="(/decisions/\d+/undo)"', html)
    response = client.post(undo, data={"csrf_token": csrf_token(client, "/"), "next": "/"})
    assert response.status_code == 302
    assert _statuses(app)["3:threat"] == "open"
