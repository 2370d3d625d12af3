from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from config import Settings
from models import Case, CaseEvent
from monitor.app import App
from monitor.cycle import run_cycle
from monitor.workflow import WorkflowError, allowed, transition


def _one_case(app: App, settings: Settings) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text(json.dumps({"id": "1", "text": "I'll hurt Mr Okafor at Roose Primary"}) + "\n")
    run_cycle(app, "imported", send=False)


def test_staff_may_only_confirm_or_dismiss() -> None:
    assert allowed("new", "staff") == ["confirmed", "dismissed"]
    assert allowed("new", "staff", "urgent") == ["confirmed"]
    assert allowed("new", "dsl", "urgent") == ["confirmed", "dismissed"]
    assert allowed("confirmed", "staff") == ["dismissed"]
    assert "escalated" in allowed("confirmed", "dsl")


def test_a_move_is_recorded_with_who_and_when(app: App, settings: Settings) -> None:
    _one_case(app, settings)
    with app.sessions.begin() as session:
        case = session.scalars(select(Case)).one()
        transition(session, case, "confirmed", "dsl@school.example", "dsl")
        transition(session, case, "escalated", "dsl@school.example", "dsl", "police informed")
    with app.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status == "escalated"
        event = session.scalars(select(CaseEvent).order_by(CaseEvent.id.desc())).first()
        assert event is not None and event.actor == "dsl@school.example"
        assert event.detail == "confirmed -> escalated: police informed"


def test_it_refuses_a_move_the_role_or_workflow_does_not_allow(
    app: App, settings: Settings
) -> None:
    _one_case(app, settings)
    with app.sessions.begin() as session:
        case = session.scalars(select(Case)).one()
        with pytest.raises(WorkflowError, match="cannot move"):
            transition(session, case, "escalated", "t@school.example", "staff")
        with pytest.raises(WorkflowError, match="cannot move"):
            transition(session, case, "warning_sent", "h@school.example", "headteacher")
        assert case.status == "new"
