"""The trust page: counts by school, category and week, and failing sources; no post, pupil or
case reference on it, every view in the audit log; a school's cases only where granted."""

from __future__ import annotations

from sqlalchemy import select, update

from models import AuditEvent, Source
from monitor.deployment import Deployment
from monitor.web.trust import create_deployment_app
from monitor.web.users import add_member, add_trust_user
from tests.tenancy.test_routes import _get, _login
from tests.web.conftest import PASSWORD

TRUST_LEAD = "lead@trust.example"
# Post text and people of both schools: none belongs on the trust page.
PRIVATE = ("Okafor", "Jayden", "Nowak", "batter", "Vexley", "Zephyrine", "Quartermaine", "SW-")


def test_the_trust_page_counts_every_schools_cases_and_names_failing_sources(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    add_trust_user(deployment, TRUST_LEAD, PASSWORD)
    with deployment.app("ashdown").sessions.begin() as session:
        session.execute(update(Source).values(last_outcome="error", consecutive_failures=4))
    client = create_deployment_app(deployment, {"TESTING": True}).test_client()
    _login(client, TRUST_LEAD)
    status, page = _get(client, "/trust")
    assert status == 200
    assert "Roose Community Primary School" in page and "Ashdown Vale Academy" in page
    assert not [word for word in PRIVATE if word in page]
    totals = {len(filled["roose"]), len(filled["ashdown"])}
    assert all(f"<td>{n}</td>" in page for n in totals)
    failing = page.split("Sources failing", 1)[1]
    assert "Ashdown Vale Academy" in failing and "<td>4</td>" in failing
    assert "Roose Community" not in failing
    with deployment.aggregates()() as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.action == "trust_view")).all()
    assert [(v.actor, v.school_id) for v in views] == [(TRUST_LEAD, None)]


def test_a_trust_user_sees_a_schools_cases_only_where_granted(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    add_trust_user(deployment, TRUST_LEAD, PASSWORD)
    client = create_deployment_app(deployment, {"TESTING": True}).test_client()
    _login(client, TRUST_LEAD)
    assert _get(client, "/s/roose/cases")[0] == 403
    with deployment.app("roose").sessions.begin() as session:
        assert "existing login" in add_member(session, TRUST_LEAD, "dsl", "")
    status, page = _get(client, f"/s/roose/cases/{filled['roose'][0]}")
    assert status == 200 and "Roose" in page
    assert _get(client, "/s/ashdown/cases")[0] == 403
    assert "/s/roose/" in _get(client, "/")[1]


def test_the_trust_page_is_refused_to_a_school_user(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    from tests.tenancy.conftest import ASHDOWN_HEAD

    client = create_deployment_app(deployment, {"TESTING": True}).test_client()
    _login(client, ASHDOWN_HEAD)
    assert _get(client, "/trust")[0] == 403
    with deployment.aggregates()() as session:
        refused = session.scalars(select(AuditEvent).where(AuditEvent.action == "trust_refused"))
        assert [r.actor for r in refused] == [ASHDOWN_HEAD]
