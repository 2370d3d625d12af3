from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, update

from alerts import sender_from_settings
from config import Settings
from models import OutboxEmail, utcnow
from monitor.app import App
from monitor.cycle import run_cycle
from monitor.health import readiness
from monitor.outbox import relay
from tests.alerts.conftest import Inbox, Receiver

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


def test_it_never_gives_up_on_a_server_that_stays_down(
    app: App, settings: Settings, smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    smtp_settings = _smtp_app(app, settings, "smtp://127.0.0.1:9")
    run_cycle(app, "imported")
    with app.sessions.begin() as session:  # hours of outage: far past the old ten tries
        session.execute(update(OutboxEmail).values(attempts=40))
    relay(app.sessions, sender_from_settings(smtp_settings), force=True)
    assert [s for s, _ in _statuses(app)] == ["pending", "pending"]
    with app.sessions() as session:
        waits = [e.next_attempt_at - utcnow() for e in session.scalars(select(OutboxEmail))]
        assert all(timedelta(0) < w <= timedelta(hours=1) for w in waits if w is not None)
    back = replace(smtp_settings, smtp_url=url)
    assert relay(app.sessions, sender_from_settings(back), force=True).sent == 2
    assert len(inbox.messages) == 2


def test_a_refused_recipient_is_retried_and_nobody_gets_it_twice(
    app: App, settings: Settings, smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    inbox.refuse_recipient["dsl@school.example"] = ("452 4.2.2 mailbox full", 4)  # 2 rounds
    smtp_settings = _smtp_app(app, settings, url)
    alerts = replace(smtp_settings.alerts, recipients=("head@school.example", "dsl@school.example"))
    app.settings = replace(smtp_settings, alerts=alerts)
    first = run_cycle(app, "imported")
    assert first.emails.sent == 0 and first.emails.retrying == 2
    assert {r for r, _ in inbox.delivered} == {"head@school.example"}
    assert [s for s, _ in _statuses(app)] == ["pending", "pending"]
    sender = sender_from_settings(app.settings)
    relay(app.sessions, sender, force=True)  # refused once more
    assert relay(app.sessions, sender, force=True).sent == 2
    assert sorted(Counter(r for r, _ in inbox.delivered).items()) == [
        ("dsl@school.example", 2), ("head@school.example", 2)
    ]  # fmt: skip
    assert len(set(inbox.delivered)) == 4  # each person got each e-mail once


def test_a_refused_email_waits_visibly_and_flush_gets_it_through(
    app: App, settings: Settings, smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    inbox.refuse_with, inbox.refusals_left = "550 mailbox unavailable", 2
    smtp_settings = _smtp_app(app, settings, url)
    run_cycle(app, "imported")
    assert [s for s, _ in _statuses(app)] == ["failed", "failed"]
    assert relay(app.sessions, sender_from_settings(smtp_settings)).sent == 0  # not by itself
    assert relay(app.sessions, sender_from_settings(smtp_settings), force=True).sent == 2
    assert [s for s, _ in _statuses(app)] == ["sent", "sent"]
    assert len(inbox.messages) == 2


def test_emails_carry_a_date_a_message_id_on_the_senders_domain_and_urgent_priority(
    app: App, settings: Settings, smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    _smtp_app(app, settings, url)
    run_cycle(app, "imported")
    assert all(m["Date"] and str(m["Message-ID"]).endswith("@school.example>")
               for m in inbox.messages)  # fmt: skip
    urgent = [m for m in inbox.messages if str(m["Subject"]).startswith("URGENT")]
    other = [m for m in inbox.messages if not str(m["Subject"]).startswith("URGENT")]
    assert urgent and all(m["X-Priority"].startswith("1") for m in urgent)
    assert other and all(m["X-Priority"] is None for m in other)


def test_readiness_fails_while_an_urgent_alert_has_waited_over_15_minutes(
    app: App, settings: Settings
) -> None:
    _smtp_app(app, settings, "smtp://127.0.0.1:9")
    run_cycle(app, "imported")
    fresh = readiness(app)
    assert fresh["ready"] and fresh["outbox"]["delivery"] == "smtp"
    assert fresh["outbox"]["urgent_unsent_seconds"] is not None
    later = readiness(app, utcnow() + timedelta(minutes=16))
    assert not later["ready"] and later["outbox"]["oldest_unsent_seconds"] >= 16 * 60
    with app.sessions.begin() as session:
        session.execute(update(OutboxEmail).values(status="sent"))
    assert readiness(app, utcnow() + timedelta(minutes=16))["ready"]


def test_an_urgent_case_reaches_the_second_channel_when_the_mail_server_is_down(
    app: App, settings: Settings, receiver: Receiver
) -> None:
    received, url = receiver.received, receiver.url
    smtp_settings = _smtp_app(app, settings, "smtp://127.0.0.1:9")
    app.settings = replace(smtp_settings, alerts=replace(smtp_settings.alerts,
                                                          notify={"urgent": (url,)}))  # fmt: skip
    report = run_cycle(app, "imported")
    assert report.emails.sent == 1 and report.emails.retrying == 2  # the notice; two e-mails wait
    [notice] = received
    assert str(notice["title"]).startswith("URGENT SW-") and "threat" in str(notice["title"])
    assert "/cases/SW-" in str(notice["message"]) and "Okafor" not in str(notice["message"])
    relay(app.sessions, sender_from_settings(app.settings), force=True)
    assert len(received) == 1  # sent once, whatever the e-mails do
    with app.sessions() as session:
        kinds = {e.kind: e.status for e in session.scalars(select(OutboxEmail))}
    assert kinds["notify"] == "sent" and kinds["urgent"] == "pending"
