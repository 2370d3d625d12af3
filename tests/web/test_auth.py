from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from models import AuditEvent, LoginAttempt, User, WebSession, utcnow
from monitor.app import App
from monitor.web.auth import ACCOUNT_FAILURES, ADDRESS_FAILURES
from tests.web.conftest import PASSWORD, csrf_token, login, post_form

_TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')

COOKIE = "schoolwatch_session"


def _count(app: App, model: type, *where: object) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_only_login_healthz_and_static_answer_without_a_login(client: FlaskClient) -> None:
    assert client.get("/healthz").status_code == 200
    with client.get("/static/app.css") as static:
        assert static.status_code == 200
    assert client.get("/login").status_code == 200
    for path in ("/", "/intake", "/users", "/audit", "/cases/SW-2026-0001",
                 "/cases/SW-2026-0001/evidence.zip",
                 "/cases/SW-2026-0001/evidence.html"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login?next="), path


def test_a_form_post_without_a_login_changes_nothing(
    client: FlaskClient, app: App, seeded: dict[str, str]
) -> None:
    token = csrf_token(client)
    for path in ("/flags/1/confirm", "/posts/1/note", "/intake", "/users", "/users/1/disable",
                 f"/cases/{seeded['3']}/move", "/logout"):  # fmt: skip
        response = client.post(path, data={"csrf_token": token, "note": "x", "status": "resolved"})
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/login"), path
    with app.sessions() as session:
        assert session.scalar(select(func.count()).where(AuditEvent.action.like("flag_%"))) == 0


def test_a_user_logs_in_with_email_and_password(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "email": "Staff@School.example ",
                                           "password": PASSWORD, "next": "/intake"})  # fmt: skip
    assert response.status_code == 302 and response.headers["Location"] == "/intake"
    assert client.get("/").status_code == 200
    assert _count(app, AuditEvent, AuditEvent.action == "login") == 1


def test_a_wrong_password_is_refused_and_recorded(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "email": users["staff"],
                                           "password": "wrong password here"})  # fmt: skip
    assert response.status_code == 200
    assert "do not match" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert _count(app, LoginAttempt, LoginAttempt.succeeded.is_(False)) == 1


def test_login_never_redirects_to_another_site(client: FlaskClient, users: dict[str, str]) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        token = csrf_token(client)
        response = client.post("/login", data={"csrf_token": token, "email": users["staff"],
                                               "password": PASSWORD, "next": target})  # fmt: skip
        assert response.headers["Location"] == "/", target


def test_a_login_form_without_a_csrf_token_is_refused(
    client: FlaskClient, users: dict[str, str]
) -> None:
    response = client.post("/login", data={"email": users["staff"], "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_a_disabled_user_cannot_log_in(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    with app.sessions.begin() as session:
        session.execute(update(User).where(User.email == users["staff"]).values(active=False))
    login(client, users["staff"])
    assert client.get("/").status_code == 302


def test_an_account_is_throttled_after_repeated_failures(
    client: FlaskClient, users: dict[str, str]
) -> None:
    for _ in range(ACCOUNT_FAILURES):
        assert login(client, users["staff"], "not the password at all") == 200
    assert login(client, users["staff"]) == 429  # even the right password waits
    assert client.get("/").status_code == 302
    assert login(client, users["dsl"]) == 302  # other accounts are unaffected


def test_throttling_is_stored_in_the_database_so_every_process_sees_it(
    app: App, users: dict[str, str]
) -> None:
    from monitor.web import create_app

    first = create_app(app).test_client()
    second = create_app(app).test_client()
    for _ in range(ACCOUNT_FAILURES):
        login(first, users["staff"], "not the password at all")
    assert login(second, users["staff"]) == 429


def test_an_address_is_throttled_after_failures_across_accounts(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    with app.sessions.begin() as session:
        for number in range(ADDRESS_FAILURES):
            session.add(LoginAttempt(email=f"guess{number}@school.example", address="127.0.0.1",
                                     succeeded=False, created_at=utcnow()))  # fmt: skip
    assert login(client, users["headteacher"]) == 429


def test_failures_older_than_the_window_do_not_throttle(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    old = utcnow() - timedelta(minutes=16)
    with app.sessions.begin() as session:
        for _ in range(ACCOUNT_FAILURES):
            session.add(LoginAttempt(email=users["staff"], address="10.0.0.9", succeeded=False,
                                     created_at=old))  # fmt: skip
    assert login(client, users["staff"]) == 302


def test_login_starts_a_new_session_and_a_new_csrf_token(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    before = csrf_token(client)
    login(client, users["staff"])
    first_cookie = client.get_cookie(COOKIE)
    assert first_cookie is not None
    assert csrf_token(client, "/") != before
    login(client, users["staff"])
    assert _count(app, WebSession) == 1  # the first session row was replaced, not kept
    fresh = client.get_cookie(COOKIE)
    assert fresh is not None and fresh.value != first_cookie.value
    client.set_cookie(COOKIE, first_cookie.value)
    assert client.get("/").status_code == 302


def test_logout_ends_the_session_on_the_server(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    status, location = post_form(client, "/logout")
    assert (status, location) == (302, "/login")
    assert _count(app, WebSession) == 0
    client.set_cookie(COOKIE, cookie.value)  # a copied cookie is worthless after logout
    assert client.get("/").status_code == 302


def test_a_session_ends_after_30_minutes_idle(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    with app.sessions.begin() as session:
        session.execute(update(WebSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    response = client.get("/")
    assert response.status_code == 302
    assert "expired=1" in response.headers["Location"]
    assert _count(app, WebSession) == 0
    assert "session has ended" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_activity_keeps_a_session_alive(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    with app.sessions.begin() as session:
        session.execute(update(WebSession).values(last_seen_at=utcnow() - timedelta(minutes=29)))
    assert client.get("/").status_code == 200
    with app.sessions.begin() as session:
        session.execute(update(WebSession).values(last_seen_at=utcnow() - timedelta(minutes=29)))
    assert client.get("/").status_code == 200


def test_a_session_ends_after_12_hours_however_active(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["staff"])
    with app.sessions.begin() as session:
        session.execute(
            update(WebSession).values(created_at=utcnow() - timedelta(hours=12, minutes=1))
        )
    assert client.get("/").status_code == 302


def test_disabling_a_user_ends_their_sessions(
    web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str], app: App
) -> None:
    head, staff = web_clients
    login(head, users["headteacher"])
    login(staff, users["staff"])
    assert staff.get("/").status_code == 200
    with app.sessions() as session:
        staff_id = session.scalar(select(User.id).where(User.email == users["staff"]))
    status, _ = post_form(head, f"/users/{staff_id}/disable")
    assert status == 302
    assert staff.get("/").status_code == 302
    assert _count(app, WebSession, WebSession.user_id == staff_id) == 0


def test_a_hash_with_other_costs_is_rehashed_at_login(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    from argon2 import PasswordHasher

    weaker = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(PASSWORD)
    with app.sessions.begin() as session:
        session.execute(update(User).where(User.email == users["dsl"]).values(password_hash=weaker))
    assert login(client, users["dsl"]) == 302
    with app.sessions() as session:
        stored = session.scalar(select(User.password_hash).where(User.email == users["dsl"]))
    assert stored != weaker and stored is not None and stored.startswith("$argon2id$")


@pytest.mark.faults
def test_forty_wrong_passwords_at_once_check_exactly_the_limit(
    app: App, users: dict[str, str]
) -> None:
    import threading

    import requests
    from waitress import create_server

    from monitor.web import create_app

    server = create_server(create_app(app), host="127.0.0.1", port=0, threads=8)
    base = f"http://127.0.0.1:{server.effective_port}"
    stopping = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:  # waitress's select() on the socket close() below shut
            if not stopping.is_set():
                raise

    serving = threading.Thread(target=run, daemon=True)
    serving.start()
    sessions = []
    for _ in range(40):  # each client has its page and token before the burst
        session = requests.Session()
        token = _TOKEN.search(session.get(f"{base}/login", timeout=10).text)
        assert token is not None
        sessions.append((session, token.group(1)))
    codes: list[int] = []
    go = threading.Barrier(40)

    def attempt(session: requests.Session, token: str) -> None:
        go.wait()
        data = {"csrf_token": token, "email": users["staff"], "password": "wrong guess " * 2}
        codes.append(session.post(f"{base}/login", data=data, timeout=60).status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    stopping.set()
    server.close()
    serving.join(timeout=10)
    for session, _ in sessions:
        session.close()
    assert sorted(set(codes)) == [200, 429] and len(codes) == 40
    with app.sessions() as db:
        checked = db.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert len(checked) == ACCOUNT_FAILURES == codes.count(200)
