"""The daily digest: every open case whose state has not been e-mailed, in one e-mail.

``send_digest(app, now)`` is what a scheduler calls (e.g. every few minutes, or at the configured
time): on a school day at or after ``[alerts] digest_time`` it queues at most one digest per day
and sends it; at any other time, or a second time that day, it does nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from alerts import Sender, sender_from_settings
from alerts.drafts import case_drafts
from alerts.render import DigestEntry, render_digest
from config import SEVERITIES, Settings
from models import Case, CaseEvent, OutboxEmail, Post, utcnow
from monitor.app import App
from monitor.casefile import case_facts
from monitor.cases import SYSTEM_ACTOR, case_state
from monitor.outbox import RelayReport, relay
from monitor.workflow import CLOSED

log = logging.getLogger(__name__)


@dataclass
class DigestReport:
    day: date
    queued: bool = False
    cases: list[str] = field(default_factory=list)
    reason: str = ""
    emails: RelayReport = field(default_factory=RelayReport)


def local_now(settings: Settings, now: datetime) -> datetime:
    return now.astimezone(ZoneInfo(settings.alerts.timezone))


def cron_fields(settings: Settings) -> dict[str, str]:
    """When to call ``send_digest``, as cron fields (APScheduler's ``CronTrigger(**fields)``).
    Closed dates are not in them: ``send_digest`` skips those days itself."""
    hour, minute = settings.alerts.digest_time
    return {
        "day_of_week": ",".join(settings.alerts.school_days),
        "hour": str(hour),
        "minute": str(minute),
        "timezone": settings.alerts.timezone,
    }


def digest_due(settings: Settings, now: datetime) -> tuple[bool, str]:
    """Whether ``now`` is on a school day at or after the digest time, and if not, why not."""
    local = local_now(settings, now)
    hour, minute = settings.alerts.digest_time
    if not settings.alerts.is_school_day(local.date()):
        return False, f"{local:%A %d %B} is not a school day"
    if local.time() < time(hour, minute):
        return False, f"the digest goes at {hour:02d}:{minute:02d}"
    return True, ""


def queue_digest(app: App, now: datetime, *, force: bool = False) -> DigestReport:
    """Queue today's digest if it is due and not yet queued; the cases are marked as told."""
    settings = app.settings
    day = local_now(settings, now).date()
    report = DigestReport(day=day)
    due, why = digest_due(settings, now)
    if not (due or force):
        report.reason = why
        return report
    key = f"digest:{day.isoformat()}"
    redact = not settings.alerts.include_pupil_names
    with app.sessions.begin() as session:
        if session.scalar(select(OutboxEmail.id).where(OutboxEmail.dedup_key == key)):
            report.reason = "today's digest was already queued"
            return report
        cases = session.scalars(
            select(Case)
            .where(Case.status.not_in(CLOSED))
            .options(selectinload(Case.posts).selectinload(Post.flags),
                     selectinload(Case.events))
            .order_by(Case.id)
        ).all()  # fmt: skip
        pending = [c for c in cases if c.notified_state != case_state(c)]
        if not pending:
            report.reason = "nothing new since the last e-mail"
            return report
        pending.sort(key=lambda c: (SEVERITIES.index(c.severity), c.id))
        entries = []
        for case in pending:
            facts = case_facts(case, settings, redact=redact)
            entries.append(DigestEntry(facts, case_drafts(facts), case.notified_state is not None))
        rendered = render_digest(
            settings.school.name, f"{day:%A %d %B %Y}", entries, settings.alerts.base_url
        )
        recipients: list[str] = []
        for severity in dict.fromkeys(c.severity for c in pending):
            recipients += [r for r in settings.alerts.recipients_for(severity)
                           if r not in recipients]  # fmt: skip
        session.add(
            OutboxEmail(
                dedup_key=key, case_id=None, kind="digest", recipients=recipients,
                sender=settings.alerts.sender, subject=rendered.subject,
                body_text=rendered.text, body_html=rendered.html, status="pending",
                attempts=0, created_at=utcnow(),
            )
        )  # fmt: skip
        for case in pending:
            case.notified_state = case_state(case)
            session.add(CaseEvent(case_id=case.id, actor=SYSTEM_ACTOR, action="digest_queued",
                                  detail=key, created_at=utcnow()))  # fmt: skip
        report.queued = True
        report.cases = [c.reference for c in pending]
    log.info("digest %s queued with %d cases", key, len(report.cases))
    return report


def queue_once(app: App, now: datetime, force: bool = False) -> DigestReport:
    """Queue today's digest if it is due and nobody has; never raises for a lost race."""
    try:
        return queue_digest(app, now, force=force)
    except IntegrityError:  # another process queued today's digest between our check and commit
        return DigestReport(day=local_now(app.settings, now).date(),
                            reason="today's digest was already queued")  # fmt: skip


def send_digest(
    app: App, now: datetime | None = None, *, force: bool = False, sender: Sender | None = None
) -> DigestReport:
    """Queue today's digest when due (``force``: whatever the day and time), then send what
    waits in the outbox. Safe to call as often as a scheduler likes: one digest a day."""
    report = queue_once(app, now or utcnow(), force=force)
    report.emails = relay(app.sessions, sender or sender_from_settings(app.settings))
    return report
