"""The case list: filters, search, order, pages and the overdue rule the reminders use."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select, update

from models import AuditEvent, Case, CaseEvent, User, utcnow
from monitor.app import App
from monitor.reminders import overdue, send_reminders
from tests.web.conftest import login, post_form


def _listed(client: FlaskClient, query: str = "") -> list[str]:
    response = client.get(f"/cases{query}")
    assert response.status_code == 200
    return re.findall(r'class="case-link" href="/cases/([A-Z0-9-]+)"', response.get_data(True))


def test_the_list_shows_urgent_cases_first_then_the_oldest_with_post_text_escaped(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    assert _listed(client) == [seeded["3"], seeded["4"], seeded["2"]]
    html = client.get("/cases").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(" in html
    assert 'href="/cases"' in client.get("/").get_data(as_text=True)  # in the nav


def test_it_filters_by_severity_category_platform_and_searches_reference_and_text(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    assert _listed(client, "?severity=high") == [seeded["2"]]
    assert _listed(client, "?category=pupil") == [seeded["2"]]
    assert _listed(client, "?category=threat") == [seeded["3"], seeded["4"]]
    assert _listed(client, "?platform=reddit") == [seeded["2"]]
    assert _listed(client, "?q=OKAFOR") == [seeded["3"], seeded["4"]]
    assert _listed(client, f"?q={seeded['2'][-4:]}") == [seeded["2"]]
    assert _listed(client, "?q=%25") == []  # a % is a character searched for, not a wildcard
    assert _listed(client, "?severity=bogus") == [seeded["3"], seeded["4"], seeded["2"]]


def test_closed_cases_leave_the_open_list_and_appear_under_closed(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["headteacher"])
    reference = seeded["2"]
    assert post_form(client, f"/cases/{reference}/move", {"status": "dismissed"})[0] == 302
    assert reference not in _listed(client)
    assert _listed(client, "?state=closed") == [reference]
    assert reference in _listed(client, "?state=all")


def test_overdue_lists_a_case_whose_takedown_clock_ran_out_as_the_reminders_do(
    client: FlaskClient, app: App, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["headteacher"])
    late, fresh = seeded["3"], seeded["4"]
    for reference in (late, fresh):
        for status in ("confirmed", "takedown_requested"):
            data = {"status": status, "note": "reported: ref 1"}
            assert post_form(client, f"/cases/{reference}/move", data)[0] == 302
    assert _listed(client, "?overdue=1") == []
    with app.sessions.begin() as session:
        case_id = session.scalar(select(Case.id).where(Case.reference == late))
        session.execute(
            update(CaseEvent)
            .where(CaseEvent.case_id == case_id, CaseEvent.action == "status")
            .values(created_at=utcnow() - timedelta(hours=49))
        )
    assert _listed(client, "?overdue=1") == [late]
    html = client.get("/cases").get_data(as_text=True)
    assert html.count('class="badge overdue"') == 1
    assert 'class="badge overdue"' in client.get(f"/cases/{late}").get_data(as_text=True)
    assert 'class="badge overdue"' not in client.get(f"/cases/{fresh}").get_data(as_text=True)
    with app.sessions() as session:
        cases = {c.reference: c for c in session.scalars(select(Case))}
        assert overdue(cases[late], utcnow()) and not overdue(cases[fresh], utcnow())
    queued = send_reminders(app).queued
    assert [key.split(":")[1] for key in queued] == [late]


def test_assigned_to_me_lists_only_the_users_own_cases(
    web_clients: tuple[FlaskClient, FlaskClient],
    app: App,
    users: dict[str, str],
    seeded: dict[str, str],
) -> None:
    head, dsl = web_clients
    login(head, users["headteacher"])
    login(dsl, users["dsl"])
    with app.sessions() as session:
        dsl_id = session.scalar(select(User.id).where(User.email == users["dsl"]))
    reference = seeded["4"]
    code, _ = post_form(head, f"/cases/{reference}/assign", {"assignee": str(dsl_id)})
    assert code == 302
    assert _listed(dsl, "?assignee=me") == [reference]
    assert _listed(head, "?assignee=me") == []
    assert _listed(head, f"?assignee={dsl_id}") == [reference]
    assert reference not in _listed(head, "?assignee=none")
    assert f"assigned to {users['dsl']}" in head.get("/cases").get_data(as_text=True)


def test_it_pages_fifty_cases_at_a_time_and_audits_the_view(
    client: FlaskClient, app: App, users: dict[str, str]
) -> None:
    now = utcnow()
    with app.sessions.begin() as session:
        for number in range(1, 56):
            opened = now - timedelta(days=100 - number)
            session.add(Case(reference=f"SW-2025-{number:04d}", severity="low",
                             categories=["complaint"], status="new", created_at=opened,
                             updated_at=now))  # fmt: skip
    login(client, users["staff"])
    first = _listed(client)
    second = _listed(client, "?page=2")
    assert len(first) == 50 and len(second) == 5
    assert first[0] == "SW-2025-0001" and second[-1] == "SW-2025-0055"
    assert "page 1 of 2" in client.get("/cases").get_data(as_text=True)
    _listed(client, "?severity=low&q=2025")
    with app.sessions() as session:
        details = list(
            session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "view_cases"))
        )
    assert "state=open severity=low q=2025" in details
