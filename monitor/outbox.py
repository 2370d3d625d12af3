"""The outbox relay: sends waiting e-mails, backs off on temporary failures, never sends twice."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from alerts import AppriseSender, OutgoingEmail, Sender, SendError
from models import CaseEvent, OutboxEmail, utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10  # tries before the wait between them stops growing (at MAX_DELAY)
BASE_DELAY = timedelta(seconds=30)
MAX_DELAY = timedelta(hours=1)


@dataclass
class RelayReport:
    sent: int = 0  # delivered: over SMTP, or a second-channel notice
    retrying: int = 0
    failed: int = 0
    written: int = 0  # only written as .eml files (no SMTP server configured): nobody was told

    def summary(self) -> str:
        files = f", written to files {self.written} (no SMTP server)" if self.written else ""
        return f"sent {self.sent}{files}, retrying {self.retrying}, failed {self.failed}"


UNSENT = ("pending", "failed")


def backoff(attempts: int, first: timedelta = BASE_DELAY, cap: timedelta = MAX_DELAY) -> timedelta:
    """After the n-th failed attempt: ``first`` doubling up to ``cap``, the upper half jittered.
    The outbox waits 30 s, 1 min, 2 min ... 1 h; the scheduler uses it for failing sources too."""
    ceiling = min(first * (2 ** max(attempts - 1, 0)), cap).total_seconds()
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


NOTIFY = "notify"  # the outbox kind of a second-channel notice (Apprise), not an e-mail


def relay(
    sessions: sessionmaker[Session],
    sender: Sender,
    *,
    force: bool = False,
    notifier: Sender | None = None,
) -> RelayReport:
    """Send every pending e-mail that is due; ``force`` (``alerts flush``) sends every pending
    one now and tries the failed ones again.

    No e-mail is ever given up on: a temporary failure is retried for as long as it lasts (every
    hour, after the first ten tries), and a refusal marks it ``failed``, where staff, ``status``
    and ``/readyz`` see it until ``alerts flush`` gets it through."""
    report = RelayReport()
    now = utcnow()
    with sessions() as session:
        wanted = UNSENT if force else ("pending",)
        query = select(OutboxEmail.id).where(OutboxEmail.status.in_(wanted))
        if not force:
            query = query.where(
                or_(OutboxEmail.next_attempt_at.is_(None), OutboxEmail.next_attempt_at <= now)
            )
        ids = list(session.scalars(query.order_by(OutboxEmail.id)))
    for email_id in ids:
        with sessions.begin() as session:
            row = session.get(OutboxEmail, email_id, with_for_update=True)
            if row is None or row.status not in wanted:
                continue
            done = list(row.delivered or [])
            outgoing = OutgoingEmail(
                key=row.dedup_key, sender=row.sender,
                recipients=[r for r in row.recipients if r not in done],
                subject=row.subject, text=row.body_text, html=row.body_html,
                urgent=row.kind == "urgent" or row.subject.startswith("URGENT"),
            )  # fmt: skip
            row.attempts += 1
            if row.kind == NOTIFY:
                notifier = notifier or AppriseSender()
            try:
                where = (notifier if row.kind == NOTIFY and notifier else sender).send(outgoing)
            except SendError as exc:
                row.last_error = str(exc)
                if exc.delivered:
                    row.delivered = done + [r for r in exc.delivered if r not in done]
                if exc.permanent:
                    row.status = "failed"
                    report.failed += 1
                    log.error("e-mail %s refused: %s; it waits for `alerts flush`",
                              row.dedup_key, exc)  # fmt: skip
                else:
                    row.status = "pending"
                    row.next_attempt_at = utcnow() + backoff(min(row.attempts, MAX_ATTEMPTS))
                    report.retrying += 1
                    log.warning("e-mail %s will be retried: %s", row.dedup_key, exc)
                continue
            row.delivered = done + outgoing.recipients
            row.status = "sent"
            row.sent_at = utcnow()
            row.delivered_to = where
            row.last_error = None
            if row.case_id is not None:
                session.add(CaseEvent(case_id=row.case_id, actor="schoolwatch",
                                      action="email_sent", detail=where))  # fmt: skip
            if where.endswith(".eml"):
                report.written += 1
            else:
                report.sent += 1
    return report
