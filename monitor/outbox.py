"""The outbox relay: sends waiting e-mails, backs off on temporary failures, never sends twice."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, and_, or_, select, update
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
    elsewhere: int = 0  # being sent by another relay (``run`` while ``alerts flush`` runs)

    def summary(self) -> str:
        files = f", written to files {self.written} (no SMTP server)" if self.written else ""
        other = f", {self.elsewhere} being sent by another process" if self.elsewhere else ""
        return f"sent {self.sent}{files}, retrying {self.retrying}, failed {self.failed}{other}"


SENDING = "sending"  # claimed by a relay that is sending it now
LEASE = timedelta(minutes=5)  # a claim older than this was left by a relay that died: retake it
UNSENT = ("pending", "failed", SENDING)


def backoff(attempts: int, first: timedelta = BASE_DELAY, cap: timedelta = MAX_DELAY) -> timedelta:
    """After the n-th failed attempt: ``first`` doubling up to ``cap``, the upper half jittered.
    The outbox waits 30 s, 1 min, 2 min ... 1 h; the scheduler uses it for failing sources too."""
    ceiling = min(first * (2 ** max(attempts - 1, 0)), cap).total_seconds()
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


NOTIFY = "notify"  # the outbox kind of a second-channel notice (Apprise), not an e-mail


def _due(force: bool, now: datetime) -> ColumnElement[bool]:
    """What a relay may take: a pending e-mail whose wait is over (``force``: any pending or
    failed one), or one another relay claimed and never finished (it died mid-send)."""
    waiting: ColumnElement[bool] = OutboxEmail.status.in_(
        ("pending", "failed") if force else ("pending",)
    )
    if not force:
        waiting = and_(waiting, or_(OutboxEmail.next_attempt_at.is_(None),
                                    OutboxEmail.next_attempt_at <= now))  # fmt: skip
    lapsed = and_(OutboxEmail.status == SENDING, OutboxEmail.next_attempt_at <= now)
    return or_(waiting, lapsed)


def _claim(sessions: sessionmaker[Session], email_id: int, due: ColumnElement[bool]) -> bool:
    """Mark the e-mail as being sent by this relay, in its own short transaction, if it is still
    due: of two relays (``run`` and ``alerts flush``) only one wins it, on either database."""
    with sessions.begin() as session:
        claimed: CursorResult[Any] = session.execute(  # type: ignore[assignment]
            update(OutboxEmail)
            .where(OutboxEmail.id == email_id, due)
            .values(status=SENDING, attempts=OutboxEmail.attempts + 1,
                    next_attempt_at=utcnow() + LEASE)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        return bool(claimed.rowcount == 1)


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
    and ``/readyz`` see it until ``alerts flush`` gets it through. Each e-mail is claimed before
    it is sent and the send runs outside any transaction, so two relays never send it twice and
    a slow server holds no database lock."""
    report = RelayReport()
    due = _due(force, utcnow())
    with sessions() as session:
        ids = list(session.scalars(select(OutboxEmail.id).where(due).order_by(OutboxEmail.id)))
    for email_id in ids:
        if not _claim(sessions, email_id, due):
            report.elsewhere += 1
            continue
        with sessions() as session:
            row = session.get(OutboxEmail, email_id)
            if row is None:
                continue
            session.expunge(row)
        done = list(row.delivered or [])
        outgoing = OutgoingEmail(
            key=row.dedup_key, sender=row.sender,
            recipients=[r for r in row.recipients if r not in done],
            subject=row.subject, text=row.body_text, html=row.body_html,
            urgent=row.kind == "urgent" or row.subject.startswith("URGENT"),
            serial=f"{row.created_at:%Y%m%d%H%M%S%f}.{row.id}",
        )  # fmt: skip
        if row.kind == NOTIFY:
            notifier = notifier or AppriseSender()
        try:
            where = (notifier if row.kind == NOTIFY and notifier else sender).send(outgoing)
        except SendError as exc:
            _record_failure(sessions, email_id, exc, report)
            continue
        with sessions.begin() as session:
            stored = session.get(OutboxEmail, email_id)
            if stored is None:  # purged meanwhile
                continue
            stored.delivered = done + outgoing.recipients
            stored.status = "sent"
            stored.sent_at = utcnow()
            stored.delivered_to = where
            stored.last_error = None
            if stored.case_id is not None:
                session.add(CaseEvent(case_id=stored.case_id, actor="schoolwatch",
                                      action="email_sent", detail=where))  # fmt: skip
        if where.endswith(".eml"):
            report.written += 1
        else:
            report.sent += 1
    return report


def _record_failure(
    sessions: sessionmaker[Session], email_id: int, exc: SendError, report: RelayReport
) -> None:
    with sessions.begin() as session:
        row = session.get(OutboxEmail, email_id)
        if row is None:
            return
        row.last_error = str(exc)
        done = list(row.delivered or [])
        if exc.delivered:
            row.delivered = done + [r for r in exc.delivered if r not in done]
        if exc.permanent:
            row.status = "failed"
            report.failed += 1
            log.error("e-mail %s refused: %s; it waits for `alerts flush`", row.dedup_key, exc)
        else:
            row.status = "pending"
            row.next_attempt_at = utcnow() + backoff(min(row.attempts, MAX_ATTEMPTS))
            report.retrying += 1
            log.warning("e-mail %s will be retried: %s", row.dedup_key, exc)
