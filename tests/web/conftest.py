"""Review-page fixtures: a Flask app on the shared database fixtures, users, seeded flags."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache

import pytest
from argon2 import PasswordHasher, profiles
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser
from sqlalchemy import select

from config import Settings
from models import Case, Flag, Post, User, utcnow
from monitor.app import App
from monitor.cycle import run_cycle
from monitor.web import create_app
from monitor.web import users as users_module
from tests.web.browsing import launch

PASSWORD = "a long enough pass phrase"
HOSTILE = (
    '<script>alert("x")</script><img src=x onerror=alert(2)> '
    "I'll batter Mr Okafor outside Roose Primary"
)
POSTS = [
    {"id": "1", "text": "Well done Roose Primary on the Christmas fair!", "platform": "x"},
    {"id": "2", "text": "Jayden Nowak at Roose Primary again", "platform": "reddit",
     "url": "https://reddit.example/2", "author": "@someone",
     "created_at": "2026-11-20T10:00:00Z"},
    {"id": "3", "text": "I'll batter Mr Okafor outside Roose Primary", "platform": "x",
     "url": "https://x.example/3", "created_at": "2026-11-01T10:00:00Z"},
    {"id": "4", "text": HOSTILE, "platform": "x", "url": "javascript:alert(3)",
     "created_at": "2026-10-01T10:00:00Z"},
]  # fmt: skip
_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, at the library's cheapest cost: the default costs 0.3 s a login here."""
    monkeypatch.setattr(users_module, "HASHER", CHEAP)


@cache
def password_hash() -> str:
    return CHEAP.hash(PASSWORD)


@pytest.fixture
def web(app: App) -> Flask:
    flask_app = create_app(app)
    flask_app.config["TESTING"] = True
    return flask_app


@pytest.fixture
def client(web: Flask) -> FlaskClient:
    return web.test_client()


@pytest.fixture
def users(app: App) -> dict[str, str]:
    """One active user per role, all with PASSWORD; role -> e-mail."""
    emails = {role: f"{role}@school.example" for role in ("headteacher", "dsl", "staff")}
    with app.sessions.begin() as session:
        for role, email in emails.items():
            session.add(User(email=email, password_hash=password_hash(), role=role, active=True,
                             created_at=utcnow()))  # fmt: skip
    return emails


@pytest.fixture
def seeded(app: App, settings: Settings) -> Iterator[dict[str, str]]:
    """The sample posts run through a cycle; external id -> case reference, for flagged ones."""
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text("".join(json.dumps(p) + "\n" for p in POSTS))
    run_cycle(app, "imported", send=False)
    with app.sessions() as session:
        rows = session.execute(select(Post.external_id, Case.reference).join(Case)).all()
    yield {external_id: reference for external_id, reference in rows}


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    response = client.get(path)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> int:
    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "email": email,
                                           "password": password})  # fmt: skip
    return response.status_code


def post_form(client: FlaskClient, path: str, data: dict[str, str] | None = None,
              token_from: str = "/") -> tuple[int, str]:  # fmt: skip
    """POST with a valid CSRF token taken from a page; returns status and Location."""
    payload = {"csrf_token": csrf_token(client, token_from), **(data or {})}
    response = client.post(path, data=payload)
    return response.status_code, response.headers.get("Location", "")


def flag_id(app: App, external_id: str, category: str | None = None) -> int:
    with app.sessions() as session:
        query = select(Flag.id).join(Post).where(Post.external_id == external_id)
        if category:
            query = query.where(Flag.category == category)
        value = session.scalar(query.order_by(Flag.id))
    assert value is not None
    return value


@pytest.fixture
def web_clients(web: Flask) -> tuple[FlaskClient, FlaskClient]:
    """Two browsers on the same app."""
    return web.test_client(), web.test_client()


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's chromium, driven by Playwright (tests/web/browsing.py)."""
    yield from launch()


def stored_flag(app: App, fid: int) -> Flag:
    """The flag as the database now holds it."""
    with app.sessions() as session:
        flag = session.get(Flag, fid)
        assert flag is not None
        return flag


def stored_case(app: App, reference: str) -> Case:
    """The case as the database now holds it."""
    with app.sessions() as session:
        case = session.scalar(select(Case).where(Case.reference == reference))
        assert case is not None
        return case
