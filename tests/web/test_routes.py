"""Every route, for every role: what each may see, and that no route is left out of the table."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from monitor.app import App
from tests.web.conftest import flag_id, login, post_form

ROLES = ("headteacher", "dsl", "staff")
# path template -> status for headteacher, dsl, staff
PAGES = {
    "/": (200, 200, 200),
    "/intake": (200, 200, 200),
    "/cases": (200, 200, 200),
    "/cases/{case}": (200, 200, 200),
    "/cases/{case}/evidence.zip": (200, 200, 403),
    "/cases/{case}/evidence.html": (200, 200, 403),
    "/audit": (200, 200, 403),
    "/report": (200, 200, 403),
    "/report/cases.csv": (200, 200, 403),
    "/users": (200, 403, 403),
    "/account": (200, 200, 200),
    # A screenshot, for every role (the seeded post has none: 404; test_intake fetches a real one).
    "/posts/{post}/images/<sha256>": (404, 404, 404),
    "/model": (200, 403, 403),
    "/rules": (200, 200, 403),
    "/calibration": (200, 200, 403),
}
ACTIONS = {  # POSTs, each with data a staff member could not misuse
    "/flags/{flag}/confirm": ({}, (302, 302, 302)),
    "/flags/{flag}/dismiss": ({"reason": "not_inappropriate"}, (302, 302, 302)),
    "/flags/{flag}/category": ({"category": "bullying"}, (302, 302, 302)),
    "/posts/{post}/note": ({"note": "seen"}, (302, 302, 302)),
    "/flags/bulk": ({"action": "confirm"}, (302, 302, 302)),
    # who may undo which decision is in test_undo.py; here no decision has been made yet
    "/decisions/{decision}/undo": ({}, (404, 404, 404)),
    "/cases/{case}/move": ({"status": "confirmed"}, (302, 302, 302)),
    "/cases/{case}/assign": ({"assignee": ""}, (302, 302, 403)),
    "/cases/{case}/references": ({"outcome": "no_action"}, (302, 302, 403)),
    "/cases/{case}/steps": ({"step": "police", "done": "1"}, (302, 302, 403)),
    "/cases/{case}/letters": ({"kind": "warning", "title": "Letter", "body": "Dear parent"},
                              (302, 302, 403)),
    "/users/{user}/disable": ({}, (302, 403, 403)),
    "/users/{user}/role": ({"role": "dsl"}, (302, 403, 403)),
    "/users/{user}/password": ({"password": "a new long pass phrase"}, (302, 403, 403)),
    "/account": ({"current": "wrong password!", "new": "x"}, (200, 200, 200)),
    "/intake": ({"url": "https://x.example/9", "seen_on": "other", "text": "hello"},
                (302, 302, 302)),
    "/users": ({"email": "n@school.example", "role": "staff", "password": "p"},
               (200, 403, 403)),
    "/flags/{flag}/not-here": ({"phrase": "Roose Primary again"}, (302, 302, 403)),
    "/rules/{rule}/remove": ({}, (302, 302, 403)),
    "/calibration/{category}": ({"value": "0.9"}, (302, 403, 403)),
    "/logout": ({}, (302, 302, 302)),
}  # fmt: skip
PUBLIC = {"/login", "/healthz", "/readyz", "/static/<path:filename>"}


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """Role checks do not depend on the database: this matrix runs on SQLite alone."""
    return f"sqlite:///{tmp_path / 'schoolwatch.db'}"


def _fill(template: str, app: App, seeded: dict[str, str]) -> str:
    from sqlalchemy import select

    from models import Flag, SchoolRule, User, utcnow

    fid = flag_id(app, "2")
    with app.sessions.begin() as session:
        post_id = session.get(Flag, fid).post_id  # type: ignore[union-attr]
        user_id = session.scalar(select(User.id).where(User.role == "staff"))
        rule = session.scalar(select(SchoolRule.id))
        if rule is None and "{rule}" in template:
            made = SchoolRule(phrase="Roose Road", categories=["complaint"], reason="a road",
                              actor="dsl@school.example", created_at=utcnow())  # fmt: skip
            session.add(made)
            session.flush()
            rule = made.id
    return template.format(case=seeded["2"], flag=fid, post=post_id, user=user_id, rule=rule,
                           category="complaint", decision=999)  # fmt: skip


def test_every_route_is_in_the_table(web: Flask) -> None:
    rules = {rule.rule for rule in web.url_map.iter_rules()}
    known = {p.replace("{case}", "<reference>") for p in (*PAGES, *ACTIONS)}
    known = {p.replace("{flag}", "<int:flag_id>").replace("{post}", "<int:post_id>") for p in known}
    known = {p.replace("{user}/disable", "<int:user_id>/<any(disable, enable):change>")
             for p in known}  # fmt: skip
    known = {p.replace("{user}", "<int:user_id>").replace("{rule}", "<int:rule_id>")
             .replace("{category}", "<category>") for p in known}  # fmt: skip
    known = {p.replace("{decision}", "<int:decision_id>") for p in known}
    assert rules - PUBLIC == known


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_pages_it_may(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App, role: str
) -> None:
    login(client, users[role])
    for template, expected in PAGES.items():
        path = _fill(template, app, seeded)
        assert client.get(path).status_code == expected[ROLES.index(role)], (role, path)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template", list(ACTIONS))
def test_each_role_may_make_only_its_changes(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App,
    role: str, template: str,
) -> None:  # fmt: skip
    login(client, users[role])
    data, expected = ACTIONS[template]
    status, _ = post_form(client, _fill(template, app, seeded), data)
    assert status == expected[ROLES.index(role)]
