"""Reminders: when a takedown's clock runs out, the people who act on the case are told.

A case marked *takedown requested* starts two clocks: after 48 hours with the post still up the
policy's next route is Report Harmful Content; after 7 days, escalation (police, POSH, legal
advice). Each reminder is queued once per case and clock, through the outbox like any e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from markupsafe import escape
from sqlalchemy import ColumnElement, Subquery, and_, func, or_, select
from sqlalchemy.orm import selectinload

from models import Case, CaseEvent, OutboxEmail, utcnow
from monitor.app import App
from monitor.casefile import takedown_requested_at
from monitor.workflow import STATES

CLOCKS: tuple[tuple[str, timedelta, str], ...] = (
    ("48h", timedelta(hours=48),
     "48 hours since the takedown was requested. If the post is still up, report it to Report "
     "Harmful Content (reportharmfulcontent.com): the draft is on the case page."),
    ("7d", timedelta(days=7),
     "7 days since the takedown was requested. If the post is still up, escalate: take advice "
     "from POSH (0344 381 4772), the police or a solicitor, and record the outcome on the case."),
)  # fmt: skip


# A case is overdue once its first clock has run out with the takedown still awaited.
FIRST_CLOCK = CLOCKS[0][1]


def overdue(case: Case, now: datetime, started: datetime | None = None) -> bool:
    """Whether the first reminder's clock has run out on ``case`` (events loaded, or
    ``started``, when its takedown was requested, given)."""
    started = started or takedown_requested_at(case)
    return (
        case.status == "takedown_requested" and started is not None and now >= started + FIRST_CLOCK
    )


def clock_starts() -> Subquery:
    """Per case, when it last moved to takedown requested: ``takedown_requested_at`` in SQL."""
    moves = [f"{state} -> takedown_requested" for state in STATES]
    return (
        select(CaseEvent.case_id, func.max(CaseEvent.created_at).label("started"))
        .where(
            CaseEvent.action == "status",
            or_(
                CaseEvent.detail.in_(moves),
                *(CaseEvent.detail.startswith(f"{m}: ", autoescape=True) for m in moves),
            ),
        )
        .group_by(CaseEvent.case_id)
        .subquery()
    )


def overdue_clause(starts: Subquery, now: datetime) -> ColumnElement[bool]:
    """``overdue`` in SQL, over a join to ``clock_starts()``."""
    return and_(Case.status == "takedown_requested", starts.c.started <= now - FIRST_CLOCK)


@dataclass
class ReminderReport:
    queued: list[str]


def send_reminders(app: App, now: datetime | None = None) -> ReminderReport:
    """Queue the reminder of every clock that has run out on a case still awaiting its takedown;
    never twice for the same case and clock."""
    now = now or utcnow()
    settings = app.settings
    queued: list[str] = []
    with app.sessions.begin() as session:
        cases = session.scalars(
            select(Case)
            .where(Case.status == "takedown_requested")
            .options(selectinload(Case.events), selectinload(Case.posts))
        ).all()
        for case in cases:
            started = takedown_requested_at(case)
            if started is None:
                continue
            for name, after, what in CLOCKS:
                key = f"reminder:{case.reference}:{name}:{started:%Y%m%d%H%M%S}"
                due = started + after
                if now < due or session.scalar(
                    select(OutboxEmail.id).where(OutboxEmail.dedup_key == key)
                ):
                    continue
                link = f"{settings.alerts.base_url}/cases/{case.reference}"
                text = f"Case {case.reference} ({', '.join(case.categories)}): {what}\n\n{link}\n"
                session.add(OutboxEmail(
                    dedup_key=key, case_id=case.id, kind="reminder",
                    recipients=list(settings.alerts.recipients_for(case.severity,
                                                                   case.categories)),
                    sender=settings.alerts.sender,
                    subject=f"Reminder: {case.reference} takedown clock ({name}) has run out",
                    body_text=text, body_html=f"<p>{escape(text)}</p>", status="pending",
                    attempts=0, created_at=now,
                ))  # fmt: skip
                session.add(CaseEvent(case_id=case.id, actor="schoolwatch", action="reminder",
                                      detail=f"the {name} clock ran out: reminder e-mailed",
                                      created_at=now))  # fmt: skip
                queued.append(key)
    return ReminderReport(queued)
