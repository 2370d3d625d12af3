"""Every route of a school's review page, fetched by a user of one school with the real ids of
both: the other school's objects answer 403 or 404 and its words never appear. The routes are
read from the app's url_map, so a new route is in this table without anyone adding it."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from models import (
    AuditEvent,
    Case,
    CaseEvent,
    Decision,
    EvidenceImage,
    Flag,
    Post,
    SchoolRule,
    Source,
    User,
    utcnow,
)  # fmt: skip
from monitor.cases import next_reference
from monitor.deployment import Deployment
from monitor.web.trust import create_deployment_app
from tests.tenancy.conftest import ASHDOWN_HEAD, ASHDOWN_WORDS, ROOSE_HEAD
from tests.web.conftest import PASSWORD

# Valid answers to every form of the review page, so that a POST is refused for whose object it
# names, not for a missing field.
FORM = {
    "reason": "not_inappropriate", "category": "bullying", "note": "seen", "status": "confirmed",
    "assignee": "", "outcome": "no_action", "step": "police", "done": "1", "kind": "warning",
    "title": "Letter", "body": "Dear parent", "role": "dsl", "password": "a new long pass phrase",
    "phrase": "Roose road", "value": "0.9", "action": "confirm",
}  # fmt: skip
_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63"
    "f8ffff3f0005fe02fea7d6a4c40000000049454e44ae426082"
)


def _objects(deployment: Deployment, slug: str, others: list[str]) -> dict[str, Any]:
    """Real ids of one school's objects, one of each kind a route takes; a rule, a decision
    and a screenshot are made for the purpose."""
    app = deployment.app(slug)
    with app.sessions.begin() as session:
        flag = session.scalars(select(Flag).order_by(Flag.id)).first()
        assert flag is not None
        post_id = flag.post_id
        rule = SchoolRule(phrase=f"{slug} road", categories=["complaint"], reason="a road",
                          actor="head", created_at=utcnow())  # fmt: skip
        decision = Decision(kind="confirm", actor="head", flag_id=flag.id, before={}, after={},
                            created_at=utcnow())  # fmt: skip
        image = EvidenceImage(post_id=post_id, sha256=f"{slug:0<64}"[:64], filename="s.png",
                              content_type="image/png", size=len(PNG), data=PNG,
                              ocr_text=f"screenshot of {slug}", created_at=utcnow())  # fmt: skip
        session.add_all([rule, decision, image])
        session.flush()
        references = list(session.scalars(select(Case.reference).order_by(Case.id)))
        # A reference the other school does not also use (each school numbers its own).
        while not set(references) - set(others):
            extra = Case(reference=next_reference(session, utcnow()), severity="low",
                         categories=["complaint"], created_at=utcnow())  # fmt: skip
            session.add(extra)
            session.flush()
            references.append(extra.reference)
        reference = next(r for r in reversed(references) if r not in others)
        return {
            "reference": reference, "flag_id": flag.id, "post_id": post_id,
            "user_id": session.scalar(select(User.id)), "rule_id": rule.id,
            "decision_id": decision.id, "sha256": image.sha256, "category": "complaint",
            "change": "disable", "filename": "app.css",
        }  # fmt: skip


def _path(rule: Rule, values: dict[str, Any]) -> str:
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:<>]+:)?{name}>|<any\([^)]*\):{name}>", str(values[name]), path)
    return path


def _text(body: bytes, mimetype: str) -> str:
    if mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return body.decode("utf-8", "replace")


def _get(client: FlaskClient, path: str) -> tuple[int, str]:
    with client.get(path) as response:
        return response.status_code, _text(response.get_data(), response.mimetype)


def _login(client: FlaskClient, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = _CSRF.search(page)
    assert token
    response = client.post("/login", data={"csrf_token": token.group(1), "email": email,
                                           "password": PASSWORD})  # fmt: skip
    assert response.status_code == 302


def _snapshot(deployment: Deployment) -> list[tuple[Any, ...]]:
    """Everything a POST could change in Ashdown, read across schools."""
    with deployment.aggregates()() as session:
        ashdown = deployment.app("ashdown").school_id
        rows: list[tuple[Any, ...]] = []
        for table in (Flag, Case, SchoolRule, Decision, Post):
            rows += [
                tuple(getattr(r, c.key) for c in table.__table__.columns if c.key != "data")
                for r in session.scalars(select(table).where(table.school_id == ashdown))
            ]
        rows += [tuple(r) for r in session.execute(select(User.email, User.role, User.active))]
        return rows


def _school_app(root: Flask, slug: str) -> Flask:
    mounts: dict[str, Flask] = root.wsgi_app.mounts  # type: ignore[attr-defined]
    return mounts[f"/s/{slug}"]


def test_no_route_of_one_school_shows_or_changes_another_schools_data(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    root = create_deployment_app(deployment, {"TESTING": True})
    ours = _objects(deployment, "roose", [])
    theirs = _objects(deployment, "ashdown", filled["roose"])
    client = root.test_client()
    _login(client, ROOSE_HEAD)
    before = _snapshot(deployment)
    rules = list(_school_app(root, "roose").url_map.iter_rules())
    assert len(rules) > 30  # the whole review page, not an empty map
    for rule in rules:
        objects = [a for a in rule.arguments if a not in ("category", "change", "filename")]
        if "GET" in (rule.methods or ()):
            status, page = _get(client, "/s/roose" + _path(rule, ours))
            assert status == 200, rule.rule
            assert not [w for w in ASHDOWN_WORDS if w in page], rule.rule
            if objects:
                status, page = _get(client, "/s/roose" + _path(rule, theirs))
                assert status in (403, 404), rule.rule
                assert not [w for w in ASHDOWN_WORDS if w in page], rule.rule
        if "POST" in (rule.methods or ()) and objects:
            token = _CSRF.search(client.get("/s/roose/").get_data(as_text=True))
            assert token
            response = client.post("/s/roose" + _path(rule, theirs),
                                   data={"csrf_token": token.group(1), **FORM})  # fmt: skip
            assert response.status_code in (403, 404), rule.rule
    assert _snapshot(deployment) == before


def test_a_user_enters_only_the_schools_they_are_a_member_of(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    root = create_deployment_app(deployment, {"TESTING": True})
    client = root.test_client()
    _login(client, ROOSE_HEAD)
    assert client.get("/s/roose/").status_code == 200
    refused = client.get(f"/s/ashdown/cases/{filled['ashdown'][0]}")
    assert refused.status_code == 403
    # Ashdown's own error page (its links name /s/ashdown/), with none of Ashdown's data.
    page = refused.get_data(as_text=True)
    assert not [w for w in ASHDOWN_WORDS if w != "ashdown" and w in page]
    listing = client.get("/").get_data(as_text=True)
    assert "/s/roose/" in listing and "/s/ashdown/" not in listing
    with deployment.app("ashdown").sessions() as session:
        refusal = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "school_refused")
        ).one()
    assert refusal.actor == ROOSE_HEAD
    # The trust page is the trust's: a headteacher is refused, and that is logged too.
    assert client.get("/trust").status_code == 403


def test_a_login_serves_every_school_the_user_is_a_member_of_with_its_own_role(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    from models import Membership

    with deployment.app("ashdown").sessions.begin() as session:
        roose_head = session.scalar(
            select(User).where(User.email == ROOSE_HEAD).execution_options(all_users=True)
        )
        assert roose_head is not None
        session.add(Membership(user_id=roose_head.id, role="staff"))
    root = create_deployment_app(deployment, {"TESTING": True})
    client = root.test_client()
    _login(client, ROOSE_HEAD)
    assert client.get("/s/roose/users").status_code == 200  # headteacher at Roose
    assert client.get("/s/ashdown/users").status_code == 403  # staff at Ashdown
    _login(client, ASHDOWN_HEAD)
    listing = client.get("/s/ashdown/users").get_data(as_text=True)
    row = listing.split(ROOSE_HEAD, 1)[1].split("</tr>", 1)[0]
    assert "<td>staff</td>" in row and '"staff" selected' in row  # Ashdown's role, not Roose's
    page = client.get(f"/s/ashdown/cases/{filled['ashdown'][0]}").get_data(as_text=True)
    assert "Ashdown" in page and "Okafor" not in page
    with deployment.app("ashdown").sessions() as session:
        members = set(session.scalars(select(User.email)))
    assert members == {ASHDOWN_HEAD, ROOSE_HEAD}


def test_each_school_keeps_its_own_sources_cases_and_numbering(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    assert filled["roose"][0] == filled["ashdown"][0] == f"SW-{utcnow().year}-0001"
    with deployment.aggregates()() as session:
        sources = session.execute(select(Source.school_id, Source.name)).all()
        events = session.execute(select(CaseEvent.school_id, Case.school_id).join(Case)).all()
        posts = session.execute(select(Post.school_id, Post.text)).all()
    assert sorted(name for _school, name in sources) == ["imported", "imported"]
    assert all(event == case for event, case in events)
    roose = deployment.app("roose").school_id
    assert all(("Ashdown" in text) == (school != roose) for school, text in posts if
               "Ashdown" in text or "Roose" in text)  # fmt: skip


def test_a_login_at_a_school_leads_back_into_it_and_refuses_a_non_member(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    client = create_deployment_app(deployment, {"TESTING": True}).test_client()
    page = client.get("/s/roose/cases")
    assert page.status_code == 302 and page.headers["Location"].startswith("/s/roose/login")
    login_page = client.get(page.headers["Location"]).get_data(as_text=True)
    token = _CSRF.search(login_page)
    next_field = re.search(r'name="next" type="hidden" value="([^"]*)"', login_page)
    assert token and next_field and next_field.group(1) == "/s/roose/cases"
    answer = client.post("/s/roose/login", data={"csrf_token": token.group(1),
                                                 "email": ROOSE_HEAD, "password": PASSWORD,
                                                 "next": next_field.group(1)})  # fmt: skip
    assert answer.status_code == 302 and answer.headers["Location"] == "/s/roose/cases"
    other = create_deployment_app(deployment, {"TESTING": True}).test_client()
    token = _CSRF.search(other.get("/s/ashdown/login").get_data(as_text=True))
    assert token
    form = {"csrf_token": token.group(1), "email": ROOSE_HEAD, "password": PASSWORD}
    refused = other.post("/s/ashdown/login", data=form)
    assert refused.status_code == 403
    with deployment.app("ashdown").sessions() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.actor == ROOSE_HEAD))
        assert list(actions) == ["login_refused"]


def test_the_queue_counts_only_its_own_schools_quarantined_posts(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    with deployment.app("ashdown").sessions.begin() as session:
        session.add(Post(platform="x", external_id="odd", text="Ashdown ?", content_sha256="0" * 64,
                         fetched_at=utcnow(), classified_at=utcnow(),
                         quarantine="the classifier failed on it (RuntimeError)"))  # fmt: skip
    root = create_deployment_app(deployment, {"TESTING": True})
    client = root.test_client()
    _login(client, ROOSE_HEAD)
    assert "could not be classified" not in client.get("/s/roose/").get_data(as_text=True)
    _login(client, ASHDOWN_HEAD)
    assert "1 post could not be classified" in client.get("/s/ashdown/").get_data(as_text=True)
