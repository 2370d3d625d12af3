from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from config import Settings
from models import AuditEvent, User
from monitor.app import App
from monitor.cli import main
from monitor.demo import DEMO_EMAIL, demo_login
from monitor.web import create_app
from tests.web.conftest import flag_id, login, post_form


def _users_add(monkeypatch: pytest.MonkeyPatch, settings: Settings, email: str, role: str,
               password: str) -> int:  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    monkeypatch.setattr("os.environ", dict(settings.environ))
    return main(["users", "add", email, "--role", role, "--config", str(settings.config_path)])


def test_users_add_reads_the_password_from_stdin(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, app: App,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    code = _users_add(monkeypatch, settings, "Head@School.example", "headteacher",
                      "a long enough pass phrase")  # fmt: skip
    assert code == 0
    assert "added head@school.example as headteacher" in capsys.readouterr().out
    with app.sessions() as session:
        user = session.scalar(select(User))
        assert user is not None and user.password_hash.startswith("$argon2id$")
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "add_user"))
        assert event.actor.startswith("cli:") and "head@school.example" in (event.detail or "")
    client = create_app(app).test_client()
    assert login(client, "head@school.example", "a long enough pass phrase") == 302


@pytest.mark.parametrize(
    ("email", "role", "password", "message"),
    [("head@school.example", "headteacher", "short", "at least 12"),
     ("head@school.example", "headteacher", "passwordpassword", "too common"),
     ("not-an-address", "staff", "a long enough pass phrase", "not an e-mail address"),
     ("head@school.example", "governor", "a long enough pass phrase", "invalid choice")],
)  # fmt: skip
def test_users_add_refuses_bad_input_with_one_line(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, capsys: pytest.CaptureFixture[str],
    email: str, role: str, password: str, message: str,
) -> None:  # fmt: skip
    assert _users_add(monkeypatch, settings, email, role, password) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_users_add_refuses_an_existing_address(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _users_add(monkeypatch, settings, "a@school.example", "staff", "a long pass phrase") == 0
    assert _users_add(monkeypatch, settings, "a@school.example", "dsl", "a long pass phrase") == 2
    assert "already exists" in capsys.readouterr().err


def test_labels_export_writes_the_training_format(
    client: FlaskClient, users: dict[str, str], seeded: dict[str, str], app: App,
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    login(client, users["staff"])
    post_form(client, f"/flags/{flag_id(app, '3')}/confirm")
    post_form(client, f"/flags/{flag_id(app, '2')}/confirm")
    login(client, users["dsl"])  # a high flag: only a leader may dismiss it
    post_form(client, f"/flags/{flag_id(app, '2')}/dismiss", {"reason": "not_inappropriate"})
    out = tmp_path / "labels.jsonl"
    monkeypatch.setattr("os.environ", dict(settings.environ))
    code = main(["labels", "export", "--config", str(settings.config_path), "--output", str(out)])
    assert code == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines == [
        {"id": "reddit:2", "text": "Jayden Nowak at Roose Primary again", "labels": []},
        {"id": "x:3", "text": "I'll batter Mr Okafor outside Roose Primary", "labels": ["threat"]},
    ]
    with app.sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "export_labels"))
    assert (
        event is not None and event.actor.startswith("cli:") and "2 posts" in (event.detail or "")
    )


def test_the_demo_login_works_and_a_second_run_changes_its_password(app: App) -> None:
    first = demo_login(app)
    second = demo_login(app)
    assert first != second and len(second) >= 12
    client = create_app(app).test_client()
    assert login(client, DEMO_EMAIL, first) == 200
    assert login(client, DEMO_EMAIL, second) == 302
    with app.sessions() as session:
        user = session.scalar(select(User).where(User.email == DEMO_EMAIL))
        assert user is not None and user.role == "headteacher"


def test_serve_refuses_a_missing_config_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--config", "/nonexistent/school.toml"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_serve_on_a_port_in_use_is_one_clear_error(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setattr("os.environ", dict(settings.environ))
        code = main(["serve", "--config", str(settings.config_path), "--port", str(port)])
    assert code == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and "Traceback" not in err
