from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alerts import sender_from_settings
from config import Settings
from models import OutboxEmail
from monitor.app import App
from monitor.cli import main
from monitor.cycle import run_cycle
from monitor.digest import send_digest
from monitor.outbox import relay
from tests.alerts.conftest import Inbox

WEDNESDAY_0800 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
POSTS = [
    {"id": "t", "text": "I'll hurt Mr Okafor outside Roose Primary", "author": "@a"},
    {"id": "p", "text": "Jayden Nowak at Roose Primary again", "author": "@b"},
    {
        "id": "c",
        "text": "Three weeks and still no reply from Roose Primary. Not good enough",
        "author": "@c",
    },
]


def _write(settings: Settings) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text("".join(json.dumps(p) + "\n" for p in POSTS))


def _keys(inbox: Inbox) -> list[str]:
    return sorted(str(m["X-Schoolwatch-Key"]) for m in inbox.messages)


def test_a_refusing_server_gets_the_urgent_email_and_the_digest_once_each(
    app: App, settings: Settings, smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    inbox.refuse_with, inbox.refusals_left = "451 try again later", 4
    app.settings = replace(settings, smtp_url=url)
    _write(settings)
    assert run_cycle(app, "imported").emails.retrying == 1
    first = send_digest(app, WEDNESDAY_0800)
    # the urgent e-mail is not due again yet; the new digest is tried and refused
    assert first.queued and first.emails.retrying == 1 and inbox.messages == []
    sender = sender_from_settings(app.settings)
    for _ in range(3):
        relay(app.sessions, sender, force=True)
        send_digest(app, WEDNESDAY_0800)  # the scheduler keeps calling: still one digest
    assert _keys(inbox) == ["case:SW-2026-0001:urgent:threat", "digest:2026-11-25"]
    relay(app.sessions, sender, force=True)
    run_cycle(app, "imported")
    assert len(inbox.messages) == 2
    digest = next(m for m in inbox.messages if m["X-Schoolwatch-Key"].startswith("digest"))
    assert str(digest["Subject"]).startswith("Schoolwatch digest")
    assert {p.get_content_type() for p in digest.walk()} >= {"text/plain", "text/html"}


def test_a_server_that_drops_the_digest_once_delivers_it_on_the_next_call(
    app: App, settings: Settings, smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    app.settings = replace(settings, smtp_url=url)
    _write(settings)
    run_cycle(app, "imported")
    inbox.refuse_with, inbox.refusals_left = "421 closing connection", 1
    assert send_digest(app, WEDNESDAY_0800).emails.retrying == 1
    later = send_digest(app, WEDNESDAY_0800.replace(hour=9), sender=None)
    assert not later.queued  # not a second digest; the relay only skips it until its back-off
    relay(app.sessions, sender_from_settings(app.settings), force=True)
    assert _keys(inbox) == ["case:SW-2026-0001:urgent:threat", "digest:2026-11-25"]


def test_a_permanently_refused_digest_is_marked_failed(
    app: App, settings: Settings, smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    app.settings = replace(settings, smtp_url=url)
    _write(settings)
    run_cycle(app, "imported")
    inbox.refuse_with, inbox.refusals_left = "550 mailbox unavailable", -1
    assert send_digest(app, WEDNESDAY_0800).emails.failed == 1
    with app.sessions() as session:
        row = session.query(OutboxEmail).filter_by(kind="digest").one()
        assert row.status == "failed" and "550" in (row.last_error or "")


def test_the_digest_command_writes_todays_digest_once_and_says_it_went_to_a_file(
    school_dir: Path, environ: dict[str, str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("SCHOOLWATCH_SMTP_URL", raising=False)
    (school_dir / "posts.jsonl").write_text("".join(json.dumps(p) + "\n" for p in POSTS))
    config = str(school_dir / "school.toml")
    assert main(["fetch", "--config", config, "--source", "imported"]) == 0
    assert main(["alerts", "digest", "--config", config, "--force"]) == 0
    out = capsys.readouterr().out
    assert "2 cases queued" in out and "sent 0, written to files 1 (no SMTP server)" in out
    assert main(["alerts", "digest", "--config", config, "--force"]) == 0
    assert "already queued" in capsys.readouterr().out
    assert main(["status", "--config", config]) == 0  # no mail server: nothing was "sent"
    outbox = json.loads(capsys.readouterr().out)["outbox"]
    files = Path(environ["SCHOOLWATCH_DATA_DIR"]) / "outbox"
    assert len(list(files.glob("digest-*.eml"))) == 1
    written = len(list(files.glob("*.eml")))
    assert (outbox["sent"], outbox["written_to_files"], outbox["delivery"]) == (0, written, "files")
