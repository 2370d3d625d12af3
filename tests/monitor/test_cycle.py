from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

from sqlalchemy import func, select

from config import Settings
from models import Case, CaseEvent, Flag, OutboxEmail, Post, Source
from monitor.app import App
from monitor.cycle import run_cycle
from monitor.digest import send_digest

POSTS = [
    {"id": "1", "text": "Well done Roose Primary on the Christmas fair!", "platform": "x"},
    {"id": "2", "text": "Jayden Nowak at Roose Primary again", "platform": "x",
     "url": "https://x.example/2", "author": "@someone"},
    {"id": "3", "text": "I'll batter Mr Okafor outside Roose Primary", "platform": "x"},
    {"id": "4", "text": "Roadworks on Roose Road again", "platform": "x"},
]  # fmt: skip


def _write_posts(settings: Settings, posts: list[dict[str, str]], mode: str = "w") -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    with path.open(mode) as handle:
        for post in posts:
            handle.write(json.dumps(post) + "\n")


def _count(app: App, model: type) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_cycle_stores_classifies_and_opens_cases(app: App, settings: Settings) -> None:
    _write_posts(settings, POSTS)
    report = run_cycle(app, "imported")
    assert (report.fetched, report.new, report.flagged) == (4, 4, 2)
    assert len(report.cases_opened) == 2
    with app.sessions() as session:
        flagged = session.scalars(select(Post).where(Post.case_id.is_not(None))).all()
        assert sorted(p.external_id for p in flagged) == ["2", "3"]
        assert session.scalar(select(Post.relevant).where(Post.external_id == "4")) is False
        source = session.scalar(select(Source).where(Source.name == "imported"))
        assert source is not None and source.cursor == "4" and source.last_outcome == "ok"
        threat_case = session.scalar(select(Case).join(Post).where(Post.external_id == "3"))
        assert threat_case is not None and threat_case.severity == "urgent"
        assert len(session.scalar(select(Post).where(Post.external_id == "2")).content_sha256) == 64


def test_running_the_cycle_again_adds_no_duplicates(app: App, settings: Settings) -> None:
    _write_posts(settings, POSTS)
    run_cycle(app, "imported")
    counts = [_count(app, m) for m in (Post, Flag, Case, OutboxEmail)]
    with app.sessions.begin() as session:
        session.scalar(select(Source)).cursor = None  # forget the cursor: everything is re-read
    again = run_cycle(app, "imported")
    assert again.new == 0
    assert [_count(app, m) for m in (Post, Flag, Case, OutboxEmail)] == counts


def test_case_references_count_up_per_year(app: App, settings: Settings) -> None:
    _write_posts(settings, POSTS)
    report = run_cycle(app, "imported")
    year = report.cases_opened[0].split("-")[1]
    assert report.cases_opened == [f"SW-{year}-0001", f"SW-{year}-0002"]


def test_new_posts_appended_later_are_picked_up(app: App, settings: Settings) -> None:
    _write_posts(settings, POSTS[:1])
    run_cycle(app, "imported")
    _write_posts(settings, POSTS[2:3], mode="a")
    report = run_cycle(app, "imported")
    assert (report.fetched, report.new, len(report.cases_opened)) == (1, 1, 1)


def test_a_broken_line_is_skipped_and_the_rest_kept(app: App, settings: Settings) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text('{"id": "a", "text": "hi Roose Primary"}\nnot json\n{"id": "b", "text": "x"}\n')
    report = run_cycle(app, "imported")
    assert (report.new, report.skipped) == (2, 1)


def test_a_failing_source_is_recorded_not_raised(app: App, settings: Settings) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.unlink()
    report = run_cycle(app, "imported")
    assert report.error and report.permanent
    with app.sessions() as session:
        source = session.scalar(select(Source))
        assert source is not None
        assert (source.last_outcome, source.consecutive_failures) == ("error", 1)
        assert "does not exist" in (source.last_error or "")


def test_the_urgent_case_and_the_digest_are_eml_files_a_mail_client_can_open(
    app: App, settings: Settings
) -> None:
    _write_posts(settings, POSTS)
    run_cycle(app, "imported")
    run_cycle(app, "imported")
    send_digest(app, force=True)
    send_digest(app, force=True)
    files = sorted(settings.outbox_dir.glob("*.eml"))
    assert len(files) == 2
    messages = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    subjects = sorted(str(m["Subject"]) for m in messages)
    assert subjects[0].startswith("Schoolwatch digest")
    assert sum(s.startswith("URGENT") for s in subjects) == 1  # the threat; the pupil case is not
    for message in messages:
        assert message["To"] == "head@school.example"
        kinds = {part.get_content_type() for part in message.walk()}
        assert {"text/plain", "text/html"} <= kinds
    with app.sessions() as session:
        events = session.scalars(select(CaseEvent.action)).all()
        assert events.count("email_sent") == 1 and events.count("digest_queued") == 1


def test_pupil_names_become_initials_in_the_email(app: App, settings: Settings) -> None:
    _write_posts(settings, POSTS[1:2])
    run_cycle(app, "imported")
    send_digest(app, force=True)
    with app.sessions() as session:
        mail = session.scalar(select(OutboxEmail))
        assert mail is not None
    for body in (mail.body_text, mail.body_html, mail.subject):
        assert "Jayden" not in body and "Nowak" not in body
    assert "J.N." in mail.body_text and "J.N." in mail.body_html


def test_hostile_post_text_is_escaped_in_the_html_email(app: App, settings: Settings) -> None:
    hostile = (
        "<script>alert(1)</script><img src=x onerror=alert(2)> I'll hurt Mr Okafor at Roose Primary"
    )
    _write_posts(settings, [{"id": "h", "text": hostile}])
    run_cycle(app, "imported")
    with app.sessions() as session:
        mail = session.scalar(select(OutboxEmail))
        assert mail is not None
    assert "<script>" not in mail.body_html and "<img" not in mail.body_html
    assert "&lt;script&gt;" in mail.body_html
    assert "<mark>" in mail.body_html
    assert "<script>alert(1)</script>" in mail.body_text


def test_the_email_carries_next_step_drafts_and_the_case_link(app: App, settings: Settings) -> None:
    _write_posts(settings, POSTS[2:3])
    report = run_cycle(app, "imported")
    with app.sessions() as session:
        mail = session.scalar(select(OutboxEmail))
        assert mail is not None
    for body in (mail.body_text, mail.body_html):
        assert "police" in body.lower()
        assert "Report to the platform" in body
        assert "Report Harmful Content" in body
        assert f"/cases/{report.cases_opened[0]}" in body


def test_pupil_names_stay_when_the_school_opts_in(
    app: App, settings: Settings, school_dir: Path
) -> None:
    from dataclasses import replace

    app.settings = replace(settings, alerts=replace(settings.alerts, include_pupil_names=True))
    _write_posts(settings, POSTS[1:2])
    run_cycle(app, "imported")
    send_digest(app, force=True)
    with app.sessions() as session:
        mail = session.scalar(select(OutboxEmail))
        assert mail is not None and "Jayden Nowak" in mail.body_text
