from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from config import Settings
from connectors.ocr import screenshot
from models import (
    AuditEvent,
    Base,
    Case,
    CaseEvent,
    CaseLetter,
    CaseStep,
    EvidenceImage,
    Flag,
    OutboxEmail,
    Post,
    TrainingLabel,
    utcnow,
)
from monitor.app import App
from monitor.cycle import CycleReport, classify_posts, run_cycle
from monitor.digest import send_digest
from monitor.ingest import insert_posts
from monitor.retention import purge
from monitor.web.views.intake import manual_post
from tests.screenshots import render_post

POSTS = [
    {"id": "old-irrelevant", "text": "Roadworks on Roose Road"},
    {"id": "old-praise", "text": "Lovely nativity at Roose Primary"},
    {"id": "threat", "text": "I'll hurt Mr Okafor at Roose Primary"},
    {"id": "new-irrelevant", "text": "Nice weather today"},
]


def _load(app: App, settings: Settings) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text("\n".join(json.dumps(p) for p in POSTS) + "\n")
    run_cycle(app, "imported")
    with app.sessions.begin() as session:
        session.execute(
            update(Post)
            .where(Post.external_id.in_(["old-irrelevant", "old-praise", "threat"]))
            .values(fetched_at=utcnow() - timedelta(days=31))
        )


def _ids(app: App) -> list[str]:
    with app.sessions() as session:
        return sorted(session.scalars(select(Post.external_id)))


def test_it_purges_old_irrelevant_and_unflagged_posts_and_audits_it(
    app: App, settings: Settings
) -> None:
    _load(app, settings)
    report = purge(app)
    assert (report.irrelevant_posts, report.unflagged_posts) == (1, 1)
    assert _ids(app) == ["new-irrelevant", "threat"]
    with app.sessions() as session:
        audit = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "retention.purge")
        ).one()
        assert audit.actor == "schoolwatch" and "irrelevant posts 1" in (audit.detail or "")


def test_an_open_case_is_kept_however_old(app: App, settings: Settings) -> None:
    _load(app, settings)
    with app.sessions.begin() as session:
        session.execute(update(Case).values(updated_at=utcnow() - timedelta(days=5000)))
    assert purge(app).closed_cases == 0
    assert "threat" in _ids(app)


def test_a_closed_case_past_its_period_goes_with_its_posts_and_emails(
    app: App, settings: Settings
) -> None:
    _load(app, settings)
    emls = list(settings.outbox_dir.glob("*.eml"))
    assert len(emls) == 1
    with app.sessions.begin() as session:
        session.execute(
            update(Case).values(status="resolved", updated_at=utcnow() - timedelta(days=2191))
        )
    report = purge(app)
    assert (report.closed_cases, report.eml_files) == (1, 1)
    assert not emls[0].exists()
    with app.sessions() as session:
        for model in (Case, CaseEvent, OutboxEmail, Flag, CaseLetter, CaseStep):
            assert session.scalar(select(func.count()).select_from(model)) == 0
    assert "threat" not in _ids(app)


def test_dismissed_flags_are_purged_after_their_period(app: App, settings: Settings) -> None:
    _load(app, settings)
    with app.sessions.begin() as session:
        session.execute(
            update(Flag).values(status="dismissed", created_at=utcnow() - timedelta(days=31))
        )
    assert purge(app).dismissed_flags == 1
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Flag)) == 0


def test_nothing_of_a_purged_case_is_left_in_digests_files_or_notes(
    app: App, settings: Settings
) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text(json.dumps({"id": "p", "text": "Jayden Nowak at Roose Primary again"}) + "\n")
    run_cycle(app, "imported")
    assert send_digest(app, utcnow(), force=True).queued
    digest_files = [p for p in settings.outbox_dir.glob("*.eml") if "digest" in p.name]
    assert digest_files
    with app.sessions.begin() as session:
        case = session.scalars(select(Case)).one()
        flag = session.scalars(select(Flag)).one()
        session.add_all([
            AuditEvent(actor="dsl@school.example", action="note", object_type="case",
                       object_id=case.reference, detail="Spoke to Jayden's mum",
                       created_at=utcnow()),
            AuditEvent(actor="dsl@school.example", action="flag_confirm", object_type="flag",
                       object_id=str(flag.id), detail="J. Nowak, Year 4", created_at=utcnow()),
        ])  # fmt: skip
        old = utcnow() - timedelta(days=2191)
        session.execute(update(Case).values(status="resolved", updated_at=old))
        session.execute(update(OutboxEmail).values(created_at=old))
    report = purge(app)
    assert report.closed_cases == 1 and report.digests == 1
    assert not any(p.exists() for p in digest_files)
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxEmail)) == 0
        details = session.scalars(select(AuditEvent.detail)).all()
    assert not any("Jayden" in (d or "") or "Nowak" in (d or "") for d in details)


def test_a_purged_case_leaves_no_trace_in_any_table_file_or_recent_digest(
    app: App, settings: Settings
) -> None:
    traces = ("Jayden", "Nowak", "parent_of_jj", "Jayden_Nowak", "bins again")
    post = {"id": "p", "author": "@parent_of_jj", "platform": "x",
            "url": "https://x.com/parent_of_jj/status/5",
            "text": "Jayden Nowak at Roose Primary is a thug, https://x.com/Jayden_Nowak/status/9"
                    " and the bins again"}  # fmt: skip
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text(json.dumps(post) + "\n")
    run_cycle(app, "imported")
    assert send_digest(app, utcnow(), force=True).queued  # a digest of today: not yet 30 days
    with app.sessions.begin() as session:
        case = session.scalars(select(Case)).one()
        stored = session.scalars(select(Post)).one()
        session.add_all([
            TrainingLabel(post_id=stored.id, decision="confirm", labels=["pupil"],
                          note="Jayden Nowak's mum rang", actor="dsl@school.example"),
            AuditEvent(actor="dsl@school.example", action="note", object_type="case",
                       object_id=case.reference, detail="Spoke to Jayden's mum",
                       created_at=utcnow()),
            CaseLetter(case_id=case.id, kind="warning", title="Letter: written warning",
                       body="Dear parent of Jayden Nowak, ...", actor="head@school.example"),
            CaseStep(case_id=case.id, step="talk_to_parent", actor="head@school.example"),
        ])  # fmt: skip
        session.execute(
            update(Case).values(status="resolved", updated_at=utcnow() - timedelta(days=2191))
        )
    files = list(settings.data_dir.rglob("*.eml"))
    assert any("digest" in f.name for f in files)
    report = purge(app)
    assert (report.closed_cases, report.digests) == (1, 1)
    assert not any(f.exists() for f in files)
    with app.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)):
                assert not any(t.lower() in str(tuple(row)).lower() for t in traces), table.name


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_purged_case_is_not_left_in_the_sqlite_files_free_pages(
    app: App, settings: Settings
) -> None:
    post = {"id": "p", "author": "@parent_of_jj", "text": "I'll hurt Mr Okafor at Roose Primary"}
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text(json.dumps(post) + "\n")
    run_cycle(app, "imported")
    with app.sessions.begin() as session:
        session.execute(
            update(Case).values(status="resolved", updated_at=utcnow() - timedelta(days=2191))
        )
    assert purge(app).closed_cases == 1
    with app.engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database = Path(str(app.engine.url.database))
    files = [f for f in database.parent.iterdir() if f.name.startswith(database.name)]
    assert database in files
    for file in files:
        assert b"parent_of_jj" not in file.read_bytes(), file.name


def test_a_purged_case_takes_its_screenshots_with_it(app: App, settings: Settings) -> None:
    image = screenshot(render_post("I will batter Mr Okafor at Roose Primary"), "snap.png")
    post = manual_post("", "", "snapchat", "staff@school.example", (image,))
    with app.sessions.begin() as session:
        new_ids = insert_posts(session, [post], "manual:staff@school.example")
    classify_posts(app, new_ids, CycleReport(source="manual"))
    with app.sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(EvidenceImage)) == 1
        session.execute(
            update(Case).values(status="resolved", updated_at=utcnow() - timedelta(days=2191))
        )
    assert purge(app).closed_cases == 1
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(EvidenceImage)) == 0
        assert session.scalar(select(func.count()).select_from(Post)) == 0
