"""E-mails, the export and the scheduled jobs of one school touch only that school's rows."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alerts import sender_from_settings
from models import Case, OutboxEmail, Post, utcnow
from monitor import jobs
from monitor.cli import main
from monitor.deployment import Deployment
from monitor.digest import send_digest
from monitor.outbox import relay
from monitor.reminders import send_reminders
from monitor.retention import purge
from monitor.workflow import transition
from tests.alerts.conftest import Inbox
from tests.tenancy.conftest import ASHDOWN_WORDS, ashdown_rows


def _ashdown_words(text: str) -> list[str]:
    return [w for w in ASHDOWN_WORDS if w in text]


def test_a_schools_emails_carry_only_its_own_posts(
    deployment: Deployment, filled: dict[str, list[str]], smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    roose = deployment.app("roose")
    before = ashdown_rows(deployment)
    report = relay(roose.sessions, sender_from_settings(replace(roose.settings, smtp_url=url)))
    with roose.sessions() as session:
        queued = session.scalar(select(func.count(OutboxEmail.id)))
    assert report.sent == queued and queued and len(inbox.messages) == queued
    for message in inbox.messages:
        assert not _ashdown_words(message.as_string()), message["Subject"]
        assert message["To"] == "head@school.example"
        assert "http://127.0.0.1:8000/s/roose/cases/SW-" in message.as_string()  # its own prefix
    assert ashdown_rows(deployment) == before  # Ashdown's e-mails still wait, untouched


def test_a_schools_digest_and_reminders_are_its_own(
    deployment: Deployment, filled: dict[str, list[str]], smtp_server: tuple[Inbox, str]
) -> None:
    inbox, url = smtp_server
    now = utcnow()
    for slug in ("roose", "ashdown"):
        with deployment.app(slug).sessions.begin() as session:
            for case in session.scalars(select(Case)):
                for target in ("confirmed", "takedown_requested"):
                    transition(session, case, target, "head@school.example", "headteacher")
    before = ashdown_rows(deployment)
    roose = deployment.app("roose")
    reminders = send_reminders(roose, now + timedelta(hours=49))
    # The same references as Ashdown's cases (each school numbers its own), so the same keys.
    assert len(reminders.queued) == len(filled["roose"])
    sender = sender_from_settings(replace(roose.settings, smtp_url=url))
    digest = send_digest(roose, now, force=True, sender=sender)
    assert digest.queued and inbox.messages
    for message in inbox.messages:
        assert not _ashdown_words(message.as_string()), message["Subject"]
    assert ashdown_rows(deployment) == before


def test_retention_of_one_school_deletes_nothing_of_another(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    for slug in ("roose", "ashdown"):  # both schools' cases closed: both are due for deletion
        with deployment.app(slug).sessions.begin() as session:
            for case in session.scalars(select(Case)):
                for target in ("confirmed", "resolved"):
                    transition(session, case, target, "head@school.example", "headteacher")
    before = ashdown_rows(deployment)
    roose = deployment.app("roose")
    report = purge(roose, utcnow() + timedelta(days=4000))
    assert report.closed_cases == len(filled["roose"]) and report.unflagged_posts
    with roose.sessions() as session:
        assert session.scalar(select(func.count(Post.id))) == 0
    assert ashdown_rows(deployment) == before


def test_the_export_of_one_school_holds_only_its_posts(
    deployment: Deployment, filled: dict[str, list[str]], trust_dir: Path,
    environ: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "roose.jsonl"
    assert main(["export", "--config", str(trust_dir), "--school", "roose",
                 "--output", str(out)]) == 0  # fmt: skip
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    with deployment.app("roose").sessions() as session:
        assert len(lines) == session.scalar(select(func.count(Post.id)))
    assert lines and not _ashdown_words(out.read_text())
    assert {line["external_id"] for line in lines} == {"1", "2", "3", "4"}
    # With two schools, which one must be said.
    assert main(["export", "--config", str(trust_dir), "--output", str(out)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.count("\n") == 0 and "--school" in error and "ashdown, roose" in error


def test_each_schools_eml_files_are_its_own(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    """Without SMTP the e-mails are files named by their key, which each school's references
    repeat: each school writes into its own folder, so none overwrites another's."""
    written: dict[str, list[Path]] = {}
    for slug in ("roose", "ashdown"):
        app = deployment.app(slug)
        assert app.settings.outbox_dir == app.settings.data_dir / "outbox" / slug
        report = relay(app.sessions, sender_from_settings(app.settings))
        written[slug] = sorted(app.settings.outbox_dir.glob("*.eml"))
        assert report.written and len(written[slug]) == report.written
    for path in written["roose"]:
        assert not _ashdown_words(path.read_text())
    assert all("Ashdown" in p.read_text() for p in written["ashdown"])
    assert {p.name for p in written["roose"]} & {p.name for p in written["ashdown"]}


def test_each_school_has_its_own_scheduler_and_source_locks(deployment: Deployment) -> None:
    from monitor.locks import SchedulerLock, SourceBusy, source_lock

    roose, ashdown = deployment.app("roose"), deployment.app("ashdown")
    data = roose.settings.data_dir
    first = SchedulerLock(roose.engine, data, roose.school_id)
    other_school = SchedulerLock(roose.engine, data, ashdown.school_id)
    same_school = SchedulerLock(roose.engine, data, roose.school_id)
    try:
        assert first.acquire() and other_school.acquire()
        assert not same_school.acquire()
        assert first.held() and other_school.held()
    finally:
        first.release()
        other_school.release()
    # Both schools have a source called "imported": a cycle of one never waits for the other's.
    with source_lock(roose.engine, data, "roose/imported", wait=0):
        with source_lock(roose.engine, data, "ashdown/imported", wait=0):
            pass
        with pytest.raises(SourceBusy), source_lock(roose.engine, data, "roose/imported", wait=0):
            pass


def test_the_deployments_digest_queues_each_schools_own_once_a_day(
    deployment: Deployment, filled: dict[str, list[str]]
) -> None:
    apps = deployment.apps()
    assert sorted(jobs.serve(apps)) == ["ashdown", "roose"]
    wednesday_evening = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
    first = jobs.digest_all(wednesday_evening)
    again = jobs.digest_all(wednesday_evening + timedelta(minutes=1))
    assert sorted(first) == sorted(again) == ["ashdown", "roose"]
    assert all(report.queued for report in first.values())
    assert not any(report.queued for report in again.values())
    bodies = {}
    for app in apps:
        with app.sessions() as session:
            digests = session.scalars(
                select(OutboxEmail).where(OutboxEmail.dedup_key.startswith("digest:"))
            ).all()
        assert [d.status for d in digests] == ["sent"]  # written: this deployment has no SMTP
        bodies[jobs.school_slug(app.settings)] = digests[0].body_text
    assert not _ashdown_words(bodies["roose"]) and _ashdown_words(bodies["ashdown"])
