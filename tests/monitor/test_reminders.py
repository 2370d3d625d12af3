"""Takedown clocks that run out send one reminder each, through the outbox."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from config import Settings
from models import Case, CaseEvent, OutboxEmail, utcnow
from monitor.app import App
from monitor.cycle import run_cycle
from monitor.reminders import send_reminders
from monitor.workflow import transition


def takedown_case(app: App, settings: Settings) -> str:
    """One threat post's case, confirmed and moved to takedown requested now."""
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text(json.dumps({"id": "1", "text": "I'll hurt Mr Okafor at Roose Primary"}) + "\n")
    run_cycle(app, "imported", send=False)
    with app.sessions.begin() as session:
        case = session.scalars(select(Case)).one()
        for target in ("confirmed", "takedown_requested"):
            transition(session, case, target, "head@school.example", "headteacher")
        return case.reference


def _reminders(app: App) -> list[OutboxEmail]:
    with app.sessions() as session:
        return list(session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "reminder")))


def test_each_clock_sends_one_reminder_when_it_runs_out(app: App, settings: Settings) -> None:
    reference = takedown_case(app, settings)
    now = utcnow()
    assert send_reminders(app, now + timedelta(hours=47)).queued == []
    assert len(send_reminders(app, now + timedelta(hours=49)).queued) == 1
    assert send_reminders(app, now + timedelta(hours=50)).queued == []  # never twice
    [first] = _reminders(app)
    assert "Report Harmful Content" in first.body_text and reference in first.subject
    assert first.recipients == ["head@school.example"]
    assert len(send_reminders(app, now + timedelta(days=8)).queued) == 1
    assert len(_reminders(app)) == 2 and "escalate" in _reminders(app)[1].body_text
    with app.sessions() as session:
        notes = session.scalars(select(CaseEvent.detail).where(CaseEvent.action == "reminder"))
        assert len(list(notes)) == 2


def test_a_case_that_moved_on_gets_no_reminder(app: App, settings: Settings) -> None:
    takedown_case(app, settings)
    with app.sessions.begin() as session:
        case = session.scalars(select(Case)).one()
        transition(session, case, "resolved", "head@school.example", "headteacher")
    assert send_reminders(app, utcnow() + timedelta(days=8)).queued == []
