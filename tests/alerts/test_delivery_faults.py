"""Alert delivery under real faults: a real SMTP server (aiosmtpd) that refuses a recipient,
goes away or refuses everything for longer than the retries, then accepts; a real HTTP endpoint
for the second channel that is down for a while. Every alert reaches every recipient exactly
once, and at every step each one not yet delivered is in a state status and /readyz report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from alerts import Sender, sender_from_settings
from config import Settings
from models import OutboxEmail, utcnow
from monitor.app import App
from monitor.cycle import run_cycle
from monitor.health import readiness
from monitor.outbox import MAX_ATTEMPTS, RelayReport, relay
from tests.alerts.conftest import Inbox, Receiver, free_port

pytestmark = pytest.mark.faults

HEAD, DSL = "head@school.example", "dsl@school.example"
POSTS = [
    {"id": "t1", "text": "I'll hurt Mr Okafor outside Roose Primary", "platform": "x"},
    {"id": "p1", "text": "Jayden Nowak at Roose Primary again", "platform": "x"},
]
FLUSH = [sys.executable, "-m", "monitor", "alerts", "flush", "--config"]


class Server:
    """An aiosmtpd server on a fixed port that can be stopped (connection refused) and
    started again, like a relay that goes down and comes back."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox, self.port = inbox, free_port()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def server() -> Iterator[Server]:
    smtp = Server(Inbox())
    smtp.start()
    try:
        yield smtp
    finally:
        smtp.stop()


def _school(app: App, settings: Settings, smtp_url: str, *notify: str) -> Sender:
    """Head and DSL get both cases at once (urgent threat, high pupil); urgent ones also go
    to the second channel's URLs."""
    alerts = replace(
        settings.alerts,
        recipients=(HEAD, DSL),
        immediate=("urgent", "high"),
        notify={"urgent": notify} if notify else {},
    )
    app.settings = replace(settings, smtp_url=smtp_url, alerts=alerts)
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text("\n".join(json.dumps(p) for p in POSTS) + "\n")
    return sender_from_settings(app.settings)


def _accounted_for(app: App) -> list[OutboxEmail]:
    """Nothing in a state nobody sees: a sent alert reached all its recipients; any other is
    waiting for a retry it has a time for, or refused and waiting for `alerts flush`, with
    its reason, and status and /readyz count it and give the oldest one's age."""
    with app.sessions() as session:
        rows = list(session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))
    for row in rows:
        done = set(row.delivered or ())
        if row.status == "sent":
            assert done == set(row.recipients), row.dedup_key
            continue
        assert row.status in ("pending", "sending", "failed") and row.last_error, row.dedup_key
        assert done < set(row.recipients), row.dedup_key
        if row.status != "failed":  # its next try, or when a dead relay's claim lapses
            assert row.next_attempt_at is not None, row.dedup_key
    outbox = readiness(app)["outbox"]
    unsent = [r for r in rows if r.status != "sent"]
    assert outbox["pending"] + outbox["failed"] == len(unsent)
    assert (outbox["oldest_unsent_seconds"] is None) == (not unsent)
    return rows


def _later(app: App, sender: Sender, *, flush: bool = False) -> RelayReport:
    """The scheduled relay once every back-off and lease has run out (or `alerts flush`)."""
    with app.sessions.begin() as session:
        session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.status.in_(("pending", "sending")))
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
    report = relay(app.sessions, sender, force=flush)
    _accounted_for(app)
    return report


def _keys(app: App, kind: str | None = None) -> list[str]:
    with app.sessions() as session:
        query = select(OutboxEmail.dedup_key).where(OutboxEmail.kind != "notify")
        return list(
            session.scalars(query if kind is None else query.where(OutboxEmail.kind == kind))
        )


def _each_once(inbox: Inbox, keys: list[str]) -> bool:
    return Counter(inbox.received) == Counter({(r, k): 1 for r in (HEAD, DSL) for k in keys})


def test_a_full_mailbox_then_hours_of_outage_still_bring_every_email_to_everyone_once(
    app: App, settings: Settings, server: Server, receiver: Receiver
) -> None:
    sender = _school(app, settings, server.url, receiver.url)
    server.inbox.refuse_recipient[DSL] = ("452 4.2.2 mailbox full", 2)  # both e-mails, once
    receiver.failures_left = 3  # the chat service is down for the first three tries
    run_cycle(app, "imported")
    keys = _keys(app)
    assert len(keys) == 2 and Counter(server.inbox.received) == {(HEAD, k): 1 for k in keys}
    assert [r.status for r in _accounted_for(app)] == ["pending"] * 3  # DSL's, and the notice
    server.stop()  # the relay goes down for longer than the retries ever grow
    for _ in range(MAX_ATTEMPTS + 5):
        _later(app, sender)
    assert len(receiver.received) == 1  # the second channel got through on its own
    assert not readiness(app, utcnow() + timedelta(minutes=16))["ready"]
    server.start()
    assert _later(app, sender).sent == 2
    assert _each_once(server.inbox, keys)
    pairs = zip(server.inbox.delivered, server.inbox.received, strict=True)
    message_ids = {(key, message_id) for (_, message_id), (_, key) in pairs}
    assert len(message_ids) == 2  # the DSL's copy, hours later, is the same message as the Head's
    for flush in (False, True):  # nothing is sent again, by the relay or by a flush
        _later(app, sender, flush=flush)
    assert _each_once(server.inbox, keys) and len(receiver.received) == 1
    after = readiness(app, utcnow() + timedelta(minutes=16))
    assert after["ready"] and (after["outbox"]["pending"], after["outbox"]["failed"]) == (0, 0)


@pytest.mark.parametrize(
    ("reply", "flush_needed"),
    [("451 4.3.0 try again later", False), ("554 5.7.1 rejected by policy", True)],
)
def test_a_server_refusing_everything_for_longer_than_the_retries_then_accepting_sends_each_once(
    app: App, settings: Settings, server: Server, reply: str, flush_needed: bool
) -> None:
    sender = _school(app, settings, server.url)
    server.inbox.refuse_with, server.inbox.refusals_left = reply, -1
    run_cycle(app, "imported")
    for _ in range(MAX_ATTEMPTS + 5):
        _later(app, sender)
    waiting = {r.status for r in _accounted_for(app)}
    assert waiting == ({"failed"} if flush_needed else {"pending"})
    server.inbox.refusals_left = 0  # the server accepts again
    sent = _later(app, sender).sent
    if flush_needed:  # a refusal waits, visibly, for someone to flush it
        assert sent == 0 and {r.status for r in _accounted_for(app)} == {"failed"}
        assert _later(app, sender, flush=True).sent == 2
    assert _each_once(server.inbox, _keys(app))
    assert {r.status for r in _accounted_for(app)} == {"sent"}


def test_a_recipient_refused_for_good_waits_visibly_and_the_others_never_get_it_twice(
    app: App, settings: Settings, server: Server
) -> None:
    sender = _school(app, settings, server.url)
    server.inbox.refuse_recipient[DSL] = ("550 5.1.1 no such user", -1)
    run_cycle(app, "imported")
    for flush in (False, True, True):
        _later(app, sender, flush=flush)
    rows = _accounted_for(app)
    assert {r.status for r in rows} == {"failed"}
    assert all(r.delivered == [HEAD] and DSL in (r.last_error or "") for r in rows)
    assert readiness(app)["outbox"]["failed"] == 2
    del server.inbox.refuse_recipient[DSL]  # the mailbox is set up; someone flushes
    assert _later(app, sender, flush=True).sent == 2
    assert _each_once(server.inbox, _keys(app))


def test_the_second_channel_is_retried_alone_until_each_url_has_the_notice_once(
    app: App, settings: Settings, receiver: Receiver
) -> None:
    dead = f"json://127.0.0.1:{free_port()}/nobody-listens"
    sender = _school(app, settings, f"smtp://127.0.0.1:{free_port()}", receiver.url, dead)
    receiver.failures_left = 2
    run_cycle(app, "imported")
    for _ in range(4):
        _later(app, sender)
    assert len(receiver.received) == 1  # delivered after two failures, then never again
    with app.sessions() as session:
        notice = session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "notify")).one()
    assert notice.status == "pending" and notice.delivered == [receiver.url]
    assert "127.0.0.1" in (notice.last_error or "") and notice.attempts == 5
    assert readiness(app)["outbox"]["urgent_unsent_seconds"] is not None
    assert not readiness(app, utcnow() + timedelta(minutes=16))["ready"]


def test_a_flush_while_the_service_is_sending_never_sends_an_email_twice(
    app: App, settings: Settings, server: Server, environ: dict[str, str]
) -> None:
    _school(app, settings, f"smtp://127.0.0.1:{free_port()}")
    run_cycle(app, "imported")  # the mail server is down: both e-mails wait
    service = replace(app.settings, smtp_url=server.url)
    gate = server.inbox.hold()
    sending = threading.Thread(target=relay, args=(app.sessions, sender_from_settings(service)),
                               kwargs={"force": True})  # fmt: skip
    sending.start()  # the service's relay, stuck in DATA on a slow server
    deadline = time.monotonic() + 20
    while server.inbox.at_gate == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    flush = _flush(settings, environ, server.url)
    deadline = time.monotonic() + 10  # the flush either reaches the server too, or leaves it
    while server.inbox.at_gate < 2 and flush.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    gate.set()
    sending.join(timeout=60)
    out, _ = flush.communicate(timeout=60)
    assert _each_once(server.inbox, _keys(app)), out
    assert {r.status for r in _accounted_for(app)} == {"sent"}


def _flush(settings: Settings, environ: dict[str, str], smtp_url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*FLUSH, str(settings.config_path)],
        env=os.environ | environ | {"SCHOOLWATCH_SMTP_URL": smtp_url},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def test_a_relay_killed_mid_send_leaves_its_emails_visible_and_they_go_once_later(
    app: App, settings: Settings, server: Server, environ: dict[str, str]
) -> None:
    _school(app, settings, f"smtp://127.0.0.1:{free_port()}")
    run_cycle(app, "imported")
    gate = server.inbox.hold()
    flush = _flush(settings, environ, server.url)
    deadline = time.monotonic() + 30
    while server.inbox.at_gate == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    flush.send_signal(signal.SIGKILL)  # mid-send: the server never got the message
    flush.communicate(timeout=30)
    gate.set()
    sender = sender_from_settings(replace(app.settings, smtp_url=server.url))
    assert relay(app.sessions, sender, force=True).sent == 1  # the other one is still claimed
    assert [r.status for r in _accounted_for(app)].count("sending") == 1
    assert _later(app, sender).sent == 1  # its claim lapsed: taken over
    assert _each_once(server.inbox, _keys(app))
