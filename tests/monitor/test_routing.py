from __future__ import annotations

import json
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from config import Settings
from models import Case, CaseEvent, OutboxEmail
from monitor.app import App
from monitor.casefile import drafts_for, evidence_html, evidence_zip
from monitor.cases import next_reference
from monitor.cycle import run_cycle
from monitor.digest import cron_fields, digest_due, send_digest
from monitor.workflow import transition

PUPIL = "Jayden Nowak at Roose Primary again"
THREAT = "I'll hurt Mr Okafor outside Roose Primary"
OFFENSIVE = "Mr Okafor at Roose Primary is useless and rude"
COMPLAINT = "Three weeks and still no reply from Roose Primary office. Not good enough"
# 25 Nov 2026 is a Wednesday; times are UTC, London is on GMT then.
WEDNESDAY_0730 = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)


def _post(pid: str, text: str, author: str = "@a", when: str = "2026-11-20T10:00:00Z",
          **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"id": pid, "text": text, "platform": "x", "author": author,
            "url": f"https://x.com/{author.lstrip('@')}/status/{pid}", "created_at": when,
            **extra}  # fmt: skip


def _cycle(app: App, settings: Settings, *posts: dict[str, Any]) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    with path.open("a") as handle:
        for post in posts:
            handle.write(json.dumps(post) + "\n")
    report = run_cycle(app, "imported")
    assert report.error is None


def _emails(app: App) -> list[OutboxEmail]:
    with app.sessions() as session:
        return list(session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def _cases(app: App) -> list[Case]:
    with app.sessions() as session:
        return list(session.scalars(select(Case).order_by(Case.id)))


def _alerts(app: App, settings: Settings, **changes: Any) -> Settings:
    app.settings = replace(settings, alerts=replace(settings.alerts, **changes))
    return app.settings


def test_an_urgent_case_is_emailed_at_once_and_the_rest_wait_for_the_digest(
    app: App, settings: Settings
) -> None:
    _cycle(app, settings, _post("1", THREAT, "@x"), _post("2", PUPIL, "@y"),
           _post("3", COMPLAINT, "@z"))  # fmt: skip
    emails = _emails(app)
    assert [e.kind for e in emails] == ["urgent"]
    assert emails[0].subject.startswith("URGENT: [SW-")
    report = send_digest(app, WEDNESDAY_0730)
    assert report.queued and len(report.cases) == 2
    digest = _emails(app)[-1]
    assert digest.kind == "digest" and digest.status == "sent"
    assert digest.subject.startswith("Schoolwatch digest Wednesday 25 November 2026: 2 cases")
    assert "(1 high, 1 low)" in digest.subject
    assert "complaints procedure" in digest.body_text


def test_the_digest_goes_once_a_day_on_school_days_at_the_configured_time(
    app: App, settings: Settings
) -> None:
    _alerts(app, settings, closed_dates=((date(2026, 12, 21), date(2027, 1, 1)),))
    assert digest_due(app.settings, datetime(2026, 11, 25, 7, 29, tzinfo=UTC))[0] is False
    assert digest_due(app.settings, WEDNESDAY_0730) == (True, "")
    saturday = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    assert digest_due(app.settings, saturday) == (False, "Saturday 28 November is not a school day")
    assert digest_due(app.settings, datetime(2026, 12, 22, 9, 0, tzinfo=UTC))[0] is False
    # British Summer Time: 07:30 in London is 06:30 UTC.
    assert digest_due(app.settings, datetime(2026, 6, 3, 6, 30, tzinfo=UTC))[0] is True
    _cycle(app, settings, _post("2", PUPIL))
    assert not send_digest(app, saturday).queued
    assert send_digest(app, WEDNESDAY_0730).queued
    _cycle(app, settings, _post("3", COMPLAINT, "@z"))
    again = send_digest(app, datetime(2026, 11, 25, 12, 0, tzinfo=UTC), force=True)
    assert not again.queued and again.reason == "today's digest was already queued"
    assert [e.kind for e in _emails(app)] == ["digest"]
    thursday = send_digest(app, datetime(2026, 11, 26, 7, 45, tzinfo=UTC))
    assert thursday.queued and len(thursday.cases) == 1  # only the complaint is new


def test_a_scheduler_is_told_when_the_digest_is_due(settings: Settings) -> None:
    assert cron_fields(settings) == {"day_of_week": "mon,tue,wed,thu,fri", "hour": "7",
                                     "minute": "30", "timezone": "Europe/London"}  # fmt: skip


def test_an_empty_day_sends_no_digest(app: App, settings: Settings) -> None:
    _cycle(app, settings, _post("1", THREAT))
    report = send_digest(app, WEDNESDAY_0730)
    assert not report.queued and report.reason == "nothing new since the last e-mail"
    assert [e.kind for e in _emails(app)] == ["urgent"]


def test_posts_by_the_same_author_within_the_window_join_the_open_case(
    app: App, settings: Settings
) -> None:
    _cycle(app, settings, _post("1", OFFENSIVE, "@dad", "2026-11-20T10:00:00Z"),
           _post("2", PUPIL, "@Dad", "2026-11-21T09:00:00Z"),
           _post("3", PUPIL, "@dad", "2026-11-30T09:00:00Z"),
           _post("4", PUPIL, "@mum", "2026-11-21T09:00:00Z"))  # fmt: skip
    cases = _cases(app)
    assert len(cases) == 3
    # the offensive post's own categories, and the pupil flag of the post that joined it
    assert {"pupil", "offensive"} <= set(cases[0].categories) and cases[0].severity == "high"
    with app.sessions() as session:
        joined = session.scalars(select(CaseEvent).where(CaseEvent.action == "post_added")).all()
        assert [e.detail for e in joined] == ["x post 2 (same author): pupil"]


def test_a_complaint_and_an_unrelated_post_by_its_author_stay_two_cases(
    app: App, settings: Settings
) -> None:
    """The same parent's moan about the office and, a day later, a post naming a pupil are two
    matters: the pupil post opens its own case instead of making the complaint a pupil case."""
    again = COMPLAINT.replace("Three", "Four")
    _cycle(app, settings, _post("1", COMPLAINT, "@dad", "2026-11-20T10:00:00Z"),
           _post("2", PUPIL, "@dad", "2026-11-21T09:00:00Z"),
           _post("3", again, "@dad", "2026-11-21T10:00:00Z"))  # fmt: skip
    complaint, pupil = _cases(app)
    assert complaint.categories == ["complaint"] and complaint.severity == "low"
    assert pupil.categories == ["pupil"]
    with app.sessions() as session:
        joined = session.scalars(select(CaseEvent).where(CaseEvent.action == "post_added")).all()
        assert [e.detail for e in joined] == ["x post 3 (same author): complaint"]


def test_posts_in_the_same_thread_join_the_case(app: App, settings: Settings) -> None:
    _cycle(app, settings, _post("1", OFFENSIVE, "@a", conversation_id="555"),
           _post("2", PUPIL, "@b", conversation_id="555"),
           _post("3", PUPIL, "@c", conversation_id="777"))  # fmt: skip
    first, second = _cases(app)
    assert {"pupil", "offensive"} <= set(first.categories) and second.categories == ["pupil"]


def test_a_dismissed_case_is_neither_joined_nor_in_the_digest(app: App, settings: Settings) -> None:
    _cycle(app, settings, _post("1", OFFENSIVE, "@dad"))
    with app.sessions.begin() as session:
        case = session.scalars(select(Case)).one()
        transition(session, case, "dismissed", "head@school.example", "headteacher")
    _cycle(app, settings, _post("2", OFFENSIVE, "@dad"))
    first, second = _cases(app)
    assert send_digest(app, WEDNESDAY_0730).cases == [second.reference]


def test_an_urgent_case_is_emailed_once_per_state_and_updates_go_in_the_digest(
    app: App, settings: Settings
) -> None:
    _cycle(app, settings, _post("1", OFFENSIVE, "@dad"))
    assert _emails(app) == []
    _cycle(app, settings, _post("2", THREAT, "@dad"))  # the case becomes urgent: e-mailed now
    _cycle(app, settings, _post("3", THREAT, "@dad"))  # same severity and categories
    emails = _emails(app)
    assert [e.kind for e in emails] == ["urgent"]
    assert emails[0].body_text.count("What was posted (") == 2
    report = send_digest(app, WEDNESDAY_0730)
    assert report.queued
    digest = _emails(app)[-1]
    assert "(update)" in digest.body_text and "What was posted (3 of 3)" in digest.body_text
    _cycle(app, settings, _post("4", PUPIL, "@dad"))  # a new category: a new state, e-mailed
    assert [e.kind for e in _emails(app)] == ["urgent", "digest", "urgent"]
    assert len({e.dedup_key for e in _emails(app)}) == 3


def test_recipients_follow_the_cases_severity(app: App, settings: Settings) -> None:
    _alerts(app, settings, severity_recipients={"urgent": ("head@school.example",
                                                           "dsl@school.example"),
                                                "low": ("office@school.example",)})  # fmt: skip
    _cycle(app, settings, _post("1", THREAT, "@x"), _post("2", COMPLAINT, "@y"),
           _post("3", PUPIL, "@z"))  # fmt: skip
    send_digest(app, WEDNESDAY_0730)
    urgent, digest = _emails(app)
    assert urgent.recipients == ["head@school.example", "dsl@school.example"]
    assert digest.recipients == ["head@school.example", "office@school.example"]


def test_more_severities_can_be_emailed_at_once(app: App, settings: Settings) -> None:
    _alerts(app, settings, immediate=("urgent", "high"))
    _cycle(app, settings, _post("1", PUPIL, "@x"), _post("2", OFFENSIVE, "@y"))
    assert [e.subject.split(":")[0] for e in _emails(app)] == ["HIGH"]


def test_pupil_names_are_initials_everywhere_in_emails(app: App, settings: Settings) -> None:
    _alerts(app, settings, immediate=("urgent", "high"))
    _cycle(app, settings, _post("1", PUPIL + " and I'll hurt him", "@jayden_nowak_watch"),
           _post("2", "JJ from Roose Primary is a little thug", "@other"))  # fmt: skip
    send_digest(app, WEDNESDAY_0730)
    emails = _emails(app)
    assert len(emails) == 2
    for email in emails:
        for part in (email.subject, email.body_text, email.body_html):
            assert "Jayden" not in part and "Nowak" not in part and "JJ " not in part
        assert "J.N." in email.body_text and "J.N." in email.body_html
    assert "@J.N." in emails[0].body_text
    assert "jayden_nowak_watch" not in emails[0].body_text.lower()  # the post's address too


def test_handles_addresses_and_surname_first_names_never_carry_a_pupil_into_an_email(
    app: App, settings: Settings
) -> None:
    _alerts(app, settings, immediate=("urgent", "high"))
    text = "@jaydenn nobody likes you at Roose Primary. Nowak, Jayden is a thug and I'll hurt him"
    _cycle(app, settings, _post("1", text, "@Jayden_Nowak"))
    [email] = _emails(app)
    for part in (email.subject, email.body_text, email.body_html):
        assert "jayden" not in part.lower() and "nowak" not in part.lower()
    assert "https://x.com/J.N./status/1" in email.body_text


def test_hostile_text_is_escaped_in_every_email(app: App, settings: Settings) -> None:
    hostile = '<script>alert(1)</script><a href="javascript:x">' + OFFENSIVE
    bad_link = _post("1", hostile, '@"><img src=x>') | {"url": "javascript:alert(3)"}
    _cycle(app, settings, bad_link, _post("2", THREAT, "@t"))
    send_digest(app, WEDNESDAY_0730)
    for email in _emails(app):
        assert "<script>" not in email.body_html and "<img" not in email.body_html
        assert 'href="javascript' not in email.body_html
    with app.sessions() as session:
        page = evidence_html(session, _cases(app)[0].reference, settings)
    assert "<script>" not in page and 'href="javascript' not in page and "<img" not in page
    assert "&lt;script&gt;" in _emails(app)[1].body_html


def test_the_review_page_gets_the_pack_and_the_drafts_by_reference(
    app: App, settings: Settings
) -> None:
    _cycle(app, settings, _post("1", PUPIL, "@x"))
    reference = _cases(app)[0].reference
    with app.sessions() as session:
        pack = evidence_zip(session, reference, settings)
        page = evidence_html(session, reference, settings)
        drafts = drafts_for(session, reference, settings, today=date(2026, 11, 25))
        with pytest.raises(LookupError):
            evidence_zip(session, "SW-1999-0001", settings)
    assert pack[:2] == b"PK" and "Jayden Nowak" in page  # the pack is for the police: names kept
    assert [d.route for d in drafts] == [
        "platform",
        "privacy",
        "posh",
        "rhc",
        "iwf",
        "first_request",
        "warning",
    ]
    assert drafts[0].clock[0].due is None


def test_the_clocks_start_when_the_takedown_was_requested(app: App, settings: Settings) -> None:
    _cycle(app, settings, _post("1", THREAT, "@x"))
    with app.sessions.begin() as session:
        case = session.scalars(select(Case)).one()
        transition(session, case, "confirmed", "head@school.example", "headteacher")
        transition(session, case, "takedown_requested", "head@school.example", "headteacher")
        reference = case.reference
    with app.sessions() as session:
        moved = session.scalars(select(CaseEvent.created_at).order_by(CaseEvent.id.desc())).first()
        drafts = drafts_for(session, reference, settings)
    assert moved is not None
    rhc = next(d for d in drafts if d.route == "rhc")
    start, eligible = rhc.clock[0].due, rhc.clock[1].due
    assert start is not None and eligible is not None
    assert eligible - start == timedelta(hours=48)
    assert start.replace(tzinfo=None) == moved.replace(tzinfo=None)


def test_a_long_digest_keeps_drafts_for_the_first_ten_cases_only(
    app: App, settings: Settings
) -> None:
    _cycle(app, settings, *[_post(str(n), OFFENSIVE, f"@parent{n}") for n in range(12)])
    assert send_digest(app, WEDNESDAY_0730).queued
    digest = _emails(app)[-1]
    for body in (digest.body_text, digest.body_html):
        assert body.count("Report to the platform") == 10
        assert body.count("drafts for this case are on its page") == 2
        assert body.count("/cases/SW-") >= 12  # every case linked
    assert digest.body_html.count("/cases/SW-") == 24  # in the list at the top, and per case
    assert len(digest.body_html) < 100_000


def test_a_selfharm_case_goes_at_once_to_the_dsl_with_welfare_guidance_not_the_police(
    app: App, settings: Settings
) -> None:
    _alerts(app, settings, category_recipients={"selfharm": ("dsl@school.example",)})
    text = "@jaydenn nobody likes you at Roose Primary, just kill yourself"
    _cycle(app, settings, _post("1", text, "@troll"))
    [email] = _emails(app)
    assert email.kind == "urgent"
    assert set(email.recipients) == {"head@school.example", "dsl@school.example"}
    assert "Designated Safeguarding Lead" in email.body_text
    assert "Childline 0800 1111" in email.body_text
    assert "Contact the police now" not in email.body_text


def test_a_threat_the_model_alone_raised_is_no_urgent_email_and_no_police_advice(
    app: App, settings: Settings
) -> None:
    _cycle(app, settings, _post("1", "Someone needs to sort Mr Okafor out at Roose Primary"))
    cases = _cases(app)
    assert cases and all(c.severity != "urgent" for c in cases)
    assert all(e.kind != "urgent" for e in _emails(app))


def test_emails_and_drafts_give_times_in_the_schools_zone(app: App, settings: Settings) -> None:
    _cycle(app, settings, _post("1", THREAT, "@x", when="2026-06-20T10:00:00Z"))
    [email] = _emails(app)
    assert "20 Jun 2026 11:00 BST" in email.body_text  # London in summer: UTC + 1
    assert "10:00 UTC" not in email.body_text


def test_two_writers_opening_the_years_first_cases_at_once_both_get_a_number(app: App) -> None:
    """Two sessions (two connections, as two workers would be) number a case in a year that has
    none yet: the second waits for the first's row instead of failing on a duplicate key."""
    when = datetime(2031, 3, 1, tzinfo=UTC)
    first = app.sessions()
    got: list[str] = []
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with app.sessions.begin() as session:
                got.append(next_reference(session, when))
        except BaseException as exc:  # noqa: BLE001 - the test reports whatever it was
            errors.append(exc)

    try:
        got.append(next_reference(first, when))
        other = threading.Thread(target=second)
        other.start()
        other.join(1.0)
        assert other.is_alive()  # waiting on the first writer's row, not failing
        first.commit()
        other.join(30)
    finally:
        first.close()
    assert not errors and sorted(got) == ["SW-2031-0001", "SW-2031-0002"]
