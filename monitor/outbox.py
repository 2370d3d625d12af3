"""The outbox relay: sends waiting e-mails, backs off on temporary failures, never sends twice."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from alerts import OutgoingEmail, Sender, SendError
from models import CaseEvent, OutboxEmail, utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)


@dataclass
class RelayReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def backoff(attempts: int, first: timedelta = BASE_DELAY, cap: timedelta = MAX_DELAY) -> timedelta:
    """After the n-th failed attempt: ``first`` doubling up to ``cap``, the upper half jittered.
    The outbox waits 30 s, 1 min, 2 min ... 1 h; the scheduler uses it for failing sources too."""
    ceiling = min(first * (2 ** max(attempts - 1, 0)), cap).total_seconds()
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def relay(sessions: sessionmaker[Session], sender: Sender, *, force: bool = False) -> RelayReport:
    """Send every pending e-mail that is due (all pending ones when ``force``)."""
    report = RelayReport()
    now = utcnow()
    with sessions() as session:
        query = select(OutboxEmail.id).where(OutboxEmail.status == "pending")
        if not force:
            query = query.where(
                or_(OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now)
            )
        ids = list(session.scalars(query.order_by(OutboxEmail.id)))
    for email_id in ids:
        with sessions.begin() as session:
            row = session.get(OutboxEmail, email_id, with_for_update=True)
            if row is None or row.status != "pending":
                continue
            outgoing = OutgoingEmail(
                key=row.dedup_key, sender=row.sender, recipients=list(row.recipients),
                subject=row.subject, text=row.body_text, html=row.body_html,
            )  # fmt: skip
            row.attempts += 1
            try:
                where = sender.send(outgoing)
            except SendError as exc:
                row.last_error = str(exc)
                if exc.permanent or row.attempts >= MAX_ATTEMPTS:
                    row.status = "failed"
                    report.failed += 1
                    log.warning("e-mail %s failed for good: %s", row.dedup_key, exc)
                else:
                    row.next_attempt_at = utcnow() + backoff(row.attempts)
                    report.retrying += 1
                    log.info("e-mail %s will be retried: %s", row.dedup_key, exc)
                continue
            row.status = "sent"
            row.sent_at = utcnow()
            row.delivered_to = where
            row.last_error = None
            if row.case_id is not None:
                session.add(CaseEvent(case_id=row.case_id, actor="schoolwatch",
                                      action="email_sent", detail=where))  # fmt: skip
            report.sent += 1
    return report
