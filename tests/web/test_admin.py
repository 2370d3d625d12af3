from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from models import AuditEvent, User
from monitor.app import App
from tests.web.conftest import PASSWORD, csrf_token, login, post_form


def _user(app: App, email: str) -> User | None:
    with app.sessions() as session:
        return session.scalar(select(User).where(User.email == email))


def test_the_headteacher_adds_a_user_who_can_then_log_in(
    web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str], app: App
) -> None:
    head, newcomer = web_clients
    login(head, users["headteacher"])
    status, location = post_form(head, "/users", {"email": "TA@school.example", "role": "staff",
                                                  "password": "twelve chars or more"},
                                 token_from="/users")  # fmt: skip
    assert (status, location) == (302, "/users")
    user = _user(app, "ta@school.example")
    assert user is not None and user.role == "staff"
    assert user.password_hash.startswith("$argon2id$")
    assert login(newcomer, "ta@school.example", "twelve chars or more") == 302
    assert newcomer.get("/").status_code == 200


def test_a_short_or_common_password_is_refused(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    cases = [("short pw", "at least 12"), ("password1234", "too common"),
             ("aaaaaaaaaaaaaaa", "too common")]  # fmt: skip
    for password, message in cases:
        data = {"email": "ta@school.example", "role": "staff", "password": password}
        page = client.post("/users", data={**data, "csrf_token": csrf_token(client, "/users")})
        assert page.status_code == 200
        assert message in page.get_data(as_text=True), password
    assert _user(app, "ta@school.example") is None


def test_a_taken_email_or_an_unknown_role_is_refused(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    taken = {"email": users["dsl"], "role": "staff", "password": PASSWORD}
    status, _ = post_form(client, "/users", taken, token_from="/users")
    assert status == 200
    governor = {"email": "x@school.example", "role": "governor", "password": PASSWORD}
    status, _ = post_form(client, "/users", governor, token_from="/users")
    assert status == 200 and _user(app, "x@school.example") is None


def test_only_the_headteacher_manages_users(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    staff_id = _user(app, users["staff"]).id  # type: ignore[union-attr]
    for role in ("dsl", "staff"):
        login(client, users[role])
        assert client.get("/users").status_code == 403, role
        data = {"email": "x@school.example", "role": "headteacher", "password": PASSWORD}
        assert post_form(client, "/users", data)[0] == 403, role
        assert post_form(client, f"/users/{staff_id}/disable")[0] == 403, role
    assert _user(app, "x@school.example") is None
    assert _user(app, users["staff"]).active  # type: ignore[union-attr]


def test_the_headteacher_cannot_disable_themself_but_can_re_enable_others(
    client: FlaskClient, users: dict[str, str], app: App
) -> None:
    login(client, users["headteacher"])
    own = _user(app, users["headteacher"]).id  # type: ignore[union-attr]
    assert post_form(client, f"/users/{own}/disable")[0] == 403
    staff_id = _user(app, users["staff"]).id  # type: ignore[union-attr]
    post_form(client, f"/users/{staff_id}/disable")
    assert not _user(app, users["staff"]).active  # type: ignore[union-attr]
    post_form(client, f"/users/{staff_id}/enable")
    assert _user(app, users["staff"]).active  # type: ignore[union-attr]
    with app.sessions() as session:
        actions = session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("user_%"))).all()  # fmt: skip
    assert actions == ["user_disable", "user_enable"]


def test_the_audit_log_is_for_headteacher_and_dsl_only(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    login(client, users["staff"])
    client.get(f"/cases/{seeded['3']}")
    assert client.get("/audit").status_code == 403
    for role in ("headteacher", "dsl"):
        login(client, users[role])
        html = client.get("/audit").get_data(as_text=True)
        assert "view_case" in html and users["staff"] in html, role
    html = client.get(f"/audit?actor={users['staff']}").get_data(as_text=True)
    assert "view_case" in html and "view_audit" not in html


def test_the_headteacher_changes_a_role_which_applies_at_once(
    web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str], app: App
) -> None:
    head, staff = web_clients
    login(head, users["headteacher"])
    login(staff, users["staff"])
    assert staff.get("/audit").status_code == 403
    staff_id = _user(app, users["staff"]).id  # type: ignore[union-attr]
    assert post_form(head, f"/users/{staff_id}/role", {"role": "dsl"})[0] == 302
    assert staff.get("/audit").status_code == 200
    assert post_form(head, f"/users/{staff_id}/role", {"role": "governor"})[0] == 400
    own = _user(app, users["headteacher"]).id  # type: ignore[union-attr]
    assert post_form(head, f"/users/{own}/role", {"role": "staff"})[0] == 403
    assert _user(app, users["headteacher"]).role == "headteacher"  # type: ignore[union-attr]


def test_a_password_reset_ends_the_users_sessions(
    web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str], app: App
) -> None:
    head, staff = web_clients
    login(head, users["headteacher"])
    login(staff, users["staff"])
    staff_id = _user(app, users["staff"]).id  # type: ignore[union-attr]
    assert post_form(head, f"/users/{staff_id}/password", {"password": "short"})[0] == 302
    assert staff.get("/").status_code == 200  # a refused password changes nothing
    assert post_form(head, f"/users/{staff_id}/password",
                     {"password": "a brand new pass phrase"})[0] == 302  # fmt: skip
    assert staff.get("/").status_code == 302
    assert login(staff, users["staff"]) == 200
    assert login(staff, users["staff"], "a brand new pass phrase") == 302


def test_a_user_changes_their_own_password_and_other_sessions_end(
    web_clients: tuple[FlaskClient, FlaskClient], users: dict[str, str], app: App
) -> None:
    phone, laptop = web_clients
    login(phone, users["staff"])
    login(laptop, users["staff"])
    wrong = {"current": "not my password", "new": "a brand new pass phrase"}
    status, _ = post_form(laptop, "/account", wrong, token_from="/account")
    assert status == 200 and phone.get("/").status_code == 200
    right = {"current": PASSWORD, "new": "a brand new pass phrase"}
    assert post_form(laptop, "/account", right, token_from="/account") == (302, "/")
    assert laptop.get("/").status_code == 200  # this browser keeps working, on a new session
    assert phone.get("/").status_code == 302
    with app.sessions() as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "password_change"))
