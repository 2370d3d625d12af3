from __future__ import annotations

import json
from dataclasses import replace

from sqlalchemy import select, update

from alerts import sender_from_settings
from config import Settings
from models import OutboxEmail
from monitor.app import App
from monitor.cycle import run_cycle
from monitor.outbox import relay
from tests.alerts.conftest import Inbox

THREAT = {"id": "t1", "text": "I'll hurt Mr Okafor outside Roose Primary", "platform": "x"}
NAMED = {"id": "p1", "text": "Jayden Nowak at Roose Primary again", "platform": "x"}


def _smtp_app(app: App, settings: Settings, url: str) -> Settings:
    # Both cases are e-mailed at once here, so the outbox has two e-mails to deliver.
    alerts = replace(settings.alerts, immediate=("urgent", "high"))
    smtp_settings = replace(settings, smtp_url=url, alerts=alerts)
    app.settings = smtp_settings
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text("\n".join(json.dumps(p) for p in (THREAT, NAMED)) + "\n")
    return smtp_settings


def _statuses(app: App) -> list[tuple[str, int]]:
    with app.sessions() as session:
        return [
            (e.status, e.attempts)
            for e in session.scalars(select(OutboxEmail).order_by(OutboxEmail.id))
        ]


def test_it_sends_each_case_email_over_smtp(
    app: App, settings: Settings, smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    _smtp_app(app, settings, url)
    report = run_cycle(app, "imported")
    assert report.emails.sent == 2
    assert sorted(str(m["Subject"])[:6] for m in inbox.messages)[1] == "URGENT"
    assert all(m["To"] == "head@school.example" for m in inbox.messages)


def test_a_refusing_server_gets_each_email_once_when_it_recovers(
    app: App, settings: Settings, smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    inbox.refuse_with, inbox.refusals_left = "451 try again later", 3
    smtp_settings = _smtp_app(app, settings, url)
    first = run_cycle(app, "imported")
    assert (first.emails.sent, first.emails.retrying) == (0, 2)
    assert inbox.messages == []
    # Not due yet: the relay leaves them alone until their back-off has passed.
    assert relay(app.sessions, sender_from_settings(smtp_settings)).sent == 0
    for _ in range(3):
        relay(app.sessions, sender_from_settings(smtp_settings), force=True)
    assert len(inbox.messages) == 2
    assert len({m["X-Schoolwatch-Key"] for m in inbox.messages}) == 2
    assert [s for s, _ in _statuses(app)] == ["sent", "sent"]
    relay(app.sessions, sender_from_settings(smtp_settings), force=True)
    assert len(inbox.messages) == 2


def test_a_permanent_refusal_marks_the_email_failed(
    app: App, settings: Settings, smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    inbox.refuse_with, inbox.refusals_left = "550 mailbox unavailable", -1
    _smtp_app(app, settings, url)
    report = run_cycle(app, "imported")
    assert report.emails.failed == 2
    assert _statuses(app) == [("failed", 1), ("failed", 1)]
    with app.sessions() as session:
        assert all("550" in (e.last_error or "") for e in session.scalars(select(OutboxEmail)))


def test_an_unreachable_server_is_retried_later(app: App, settings: Settings) -> None:
    _smtp_app(app, settings, "smtp://127.0.0.1:9")
    report = run_cycle(app, "imported")
    assert report.emails.retrying == 2
    with app.sessions() as session:
        assert all(e.next_attempt_at is not None for e in session.scalars(select(OutboxEmail)))


def test_it_gives_up_after_the_last_attempt(app: App, settings: Settings) -> None:
    smtp_settings = _smtp_app(app, settings, "smtp://127.0.0.1:9")
    run_cycle(app, "imported")
    with app.sessions.begin() as session:
        session.execute(update(OutboxEmail).values(attempts=9))
    relay(app.sessions, sender_from_settings(smtp_settings), force=True)
    assert [s for s, _ in _statuses(app)] == ["failed", "failed"]
