"""One ``schoolwatch worker`` process serves every school of a config folder: each school's
source runs at its ``every``, and each school's urgent e-mail goes to that school's own
recipients holding only its own posts; one relay job a minute sends every school's e-mail, and
a school the SMTP server refuses, or whose relay fails, holds back no other (a real PostgreSQL
database, a real SMTP server)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from models import OutboxEmail, utcnow
from monitor import jobs
from monitor.cycle import run_cycle
from monitor.deployment import Deployment
from monitor.worker import ensure_schema, queue_app, schedule_all
from tests.alerts.conftest import Inbox
from tests.monitor.test_worker import (
    _rows,
    _stop,
    _wait_for,
    _work_until,
    worker_db,
    worker_env,
)
from tests.tenancy.conftest import ASHDOWN_HEAD, ASHDOWN_WORDS

ROOSE_HEAD = "head@school.example"  # roose.toml's recipient

# pytest fixtures of the worker tests: a fresh PostgreSQL database (and through tests/tenancy's
# conftest, smtp_server: a real SMTP server)
__all__ = ["worker_db", "worker_env"]


def test_one_worker_runs_every_schools_jobs_and_each_school_is_told_of_its_own(
    trust_dir: Path, worker_env: dict[str, str], smtp_server: tuple[Inbox, str], tmp_path: Path
) -> None:
    inbox, _ = smtp_server
    for toml in ("roose.toml", "ashdown.toml"):
        path = trust_dir / toml
        path.write_text(path.read_text().replace('every = "15m"', 'every = "1s"'))
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "monitor", "worker", "--config", str(trust_dir)],
            env={**os.environ, **worker_env}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        heads = {"head@school.example", "head@ashdown.example"}
        _wait_for(lambda: {r for r, _ in inbox.received} >= heads, 60)
    finally:
        codes = _stop(worker)
    output = log.read_text()
    assert codes == [0], output
    assert "2 school(s)" in output and "Traceback" not in output
    by_recipient: dict[str, list[str]] = {}
    for message in inbox.messages:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        for recipient in str(message["To"]).split(","):
            by_recipient.setdefault(recipient.strip(), []).append(str(body.get_content()))
    for text in by_recipient["head@school.example"]:
        assert not any(word in text for word in ASHDOWN_WORDS)
        assert "/s/roose/" in text
    assert any("Vexley" in text for text in by_recipient["head@ashdown.example"])
    assert all("/s/ashdown/" in text for text in by_recipient["head@ashdown.example"])


def _outbox(deployment: Deployment, slug: str) -> list[tuple[str, str, int]]:
    with deployment.app(slug).sessions() as session:
        rows = session.scalars(select(OutboxEmail).order_by(OutboxEmail.id))
        return [(r.dedup_key, r.status, r.attempts) for r in rows]


def _all_done(url: str) -> bool:
    statuses = _rows(url, "SELECT status FROM procrastinate_jobs")
    return bool(statuses) and all(status in ("succeeded", "failed") for (status,) in statuses)


def test_one_relay_job_serves_every_school_and_a_refused_schools_mail_goes_later_once(
    trust_dir: Path, worker_env: dict[str, str], smtp_server: tuple[Inbox, str]
) -> None:
    inbox, _ = smtp_server
    inbox.refuse_recipient[ASHDOWN_HEAD] = ("451 4.3.0 mailbox busy, try again later", -1)
    url = worker_env["SCHOOLWATCH_DATABASE_URL"]
    deployment = Deployment.open(trust_dir, worker_env)
    try:
        apps = deployment.apps()
        for app in apps:
            run_cycle(app, "imported", send=False)  # each school's urgent e-mail waits
        roose, ashdown = _outbox(deployment, "roose"), _outbox(deployment, "ashdown")
        assert roose and ashdown
        queue = queue_app(url)
        assert jobs.serve(apps) == ["ashdown", "roose"]
        ensure_schema(queue, url)
        with queue.open():  # two deployment relays and a school's own, at once
            queue.configure_task("schoolwatch.relay_all").defer()
            queue.configure_task("schoolwatch.relay_all").defer()
            queue.configure_task("schoolwatch.relay").defer(school="roose")
        _work_until(queue, lambda: _all_done(url), concurrency=3)
        assert _rows(url, "SELECT DISTINCT status FROM procrastinate_jobs") == [("succeeded",)]
        assert {status for _, status, _ in _outbox(deployment, "roose")} == {"sent"}
        waiting = _outbox(deployment, "ashdown")
        assert {status for _, status, _ in waiting} == {"pending"}  # refused: retried later
        assert all(attempts >= 1 for _, _, attempts in waiting)
        assert sorted(r for r, _ in inbox.received) == [ROOSE_HEAD] * len(roose)

        del inbox.refuse_recipient[ASHDOWN_HEAD]
        with deployment.app("ashdown").sessions.begin() as session:  # its retry comes due
            session.execute(update(OutboxEmail).values(next_attempt_at=utcnow()))
        with queue.open():
            queue.configure_task("schoolwatch.relay_all").defer()
        _work_until(queue, lambda: _all_done(url))
        assert {status for _, status, _ in _outbox(deployment, "ashdown")} == {"sent"}
        # Each school numbers its own cases, so a key is unique per recipient, and none twice.
        assert len(inbox.received) == len(set(inbox.received)) == len(roose) + len(ashdown)
        assert sorted(r for r, _ in inbox.received) == sorted(
            [ASHDOWN_HEAD] * len(ashdown) + [ROOSE_HEAD] * len(roose)
        )
    finally:
        deployment.close()


def test_a_school_whose_relay_fails_is_logged_and_the_others_still_send(
    trust_dir: Path, worker_env: dict[str, str], smtp_server: tuple[Inbox, str],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    inbox, _ = smtp_server
    deployment = Deployment.open(trust_dir, worker_env)
    try:
        apps = deployment.apps()
        for app in apps:
            run_cycle(app, "imported", send=False)
        with deployment.app("ashdown").sessions.begin() as session:  # a row it cannot read
            session.execute(update(OutboxEmail).values(recipients=None))
        jobs.serve(apps)
        reports = jobs.relay_all()  # ashdown comes first, and fails
        assert list(reports) == ["roose"] and reports["roose"].sent >= 1
        assert "outbox relay of school ashdown failed; the other schools go on" in caplog.text
        assert {r for r, _ in inbox.received} == {ROOSE_HEAD}
        assert {status for _, status, _ in _outbox(deployment, "roose")} == {"sent"}
    finally:
        deployment.close()


def test_the_worker_schedules_one_relay_and_one_digest_for_the_whole_deployment(
    trust_dir: Path, worker_env: dict[str, str]
) -> None:
    deployment = Deployment.open(trust_dir, worker_env)
    try:
        queue = queue_app(worker_env["SCHOOLWATCH_DATABASE_URL"])
        schedule_all(queue, deployment.apps())
        periodic = {task for task, _ in queue.periodic_registry.periodic_tasks}
        ids = {pid for _, pid in queue.periodic_registry.periodic_tasks}
        assert {"schoolwatch.relay_all", "schoolwatch.digest_all"} <= periodic
        assert not {"schoolwatch.relay", "schoolwatch.digest"} & periodic
        assert {"relay", "digest"} <= ids
    finally:
        deployment.close()
