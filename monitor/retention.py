"""Retention, enforced: what the school no longer needs is deleted, and each purge is audited."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from models import (
    AuditEvent,
    Case,
    CaseEvent,
    CaseLetter,
    CaseStep,
    Flag,
    OutboxEmail,
    Post,
    utcnow,
)
from monitor.app import App
from monitor.workflow import CLOSED

log = logging.getLogger(__name__)
FORGOTTEN = "(removed by retention)"


@dataclass(frozen=True)
class PurgeReport:
    irrelevant_posts: int
    unflagged_posts: int
    dismissed_flags: int
    closed_cases: int
    eml_files: int
    digests: int = 0

    def summary(self) -> str:
        return (
            f"irrelevant posts {self.irrelevant_posts}, unflagged posts {self.unflagged_posts}, "
            f"dismissed flags {self.dismissed_flags}, closed cases {self.closed_cases}, "
            f"digests {self.digests}, .eml files {self.eml_files}"
        )


def _delete_posts(session: Session, ids: list[int]) -> int:
    if ids:
        flag_ids = list(session.scalars(select(Flag.id).where(Flag.post_id.in_(ids))))
        _forget(session, "flag", flag_ids)
        _forget(session, "post", ids)
        session.execute(delete(Flag).where(Flag.post_id.in_(ids)))
        session.execute(delete(Post).where(Post.id.in_(ids)))
    return len(ids)


def _forget(session: Session, object_type: str, ids: list[Any]) -> None:
    """Audit events about what is deleted keep their who, what and when, but lose their detail
    (a reviewer's note or a reason can quote the post or name a pupil)."""
    if ids:
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.object_type == object_type,
                   AuditEvent.object_id.in_([str(i) for i in ids]))
            .values(detail=FORGOTTEN)
        )  # fmt: skip


def _eml_files(emails: list[OutboxEmail]) -> list[Path]:
    return [Path(e.delivered_to) for e in emails
            if e.delivered_to and e.delivered_to.endswith(".eml")]  # fmt: skip


def _digests_quoting(
    session: Session, references: list[str], already: list[OutboxEmail]
) -> list[OutboxEmail]:
    """Digests (younger than ``digest_days``, or never sent) that quote a case being purged: a
    digest holds each case's posts, handles and addresses, so it goes with the case."""
    if not references:
        return []
    mentions = re.compile("|".join(re.escape(r) for r in references) + r"(?!\d)")
    return [
        email
        for email in session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "digest"))
        if email not in already
        and mentions.search("\n".join((email.subject, email.body_text, email.body_html)))
    ]


def purge(app: App, now: datetime | None = None) -> PurgeReport:
    """Delete what is past its retention period; one transaction, one audit event."""
    now = now or utcnow()
    keep = app.settings.retention
    removed_files: list[Path] = []
    with app.sessions.begin() as session:
        cutoff = now - timedelta(days=keep.irrelevant_days)
        irrelevant = list(session.scalars(
            select(Post.id).where(Post.relevant.is_(False), Post.fetched_at < cutoff)
        ))  # fmt: skip
        cutoff = now - timedelta(days=keep.unflagged_days)
        unflagged = list(session.scalars(
            select(Post.id).where(
                Post.relevant.is_(True), Post.case_id.is_(None), Post.fetched_at < cutoff,
                ~exists().where(Flag.post_id == Post.id),
            )
        ))  # fmt: skip
        cutoff = now - timedelta(days=keep.dismissed_days)
        dismissed_ids = list(session.scalars(
            select(Flag.id).where(Flag.status == "dismissed", Flag.created_at < cutoff)
        ))  # fmt: skip
        if dismissed_ids:
            _forget(session, "flag", dismissed_ids)
            session.execute(delete(Flag).where(Flag.id.in_(dismissed_ids)))
        cutoff = now - timedelta(days=keep.digest_days)
        digests = list(session.scalars(
            select(OutboxEmail).where(OutboxEmail.case_id.is_(None),
                                      OutboxEmail.status == "sent",
                                      OutboxEmail.created_at < cutoff)
        ))  # fmt: skip
        removed_files += _eml_files(digests)
        for digest in digests:
            session.delete(digest)
        cutoff = now - timedelta(days=keep.closed_case_days)
        cases = list(session.scalars(
            select(Case).where(Case.status.in_(CLOSED), Case.updated_at < cutoff)
        ))  # fmt: skip
        quoting = _digests_quoting(session, [c.reference for c in cases], digests)
        removed_files += _eml_files(quoting)
        for digest in quoting:
            session.delete(digest)
        digests += quoting
        for case in cases:
            emails = list(
                session.scalars(select(OutboxEmail).where(OutboxEmail.case_id == case.id))
            )
            removed_files += _eml_files(emails)
            session.execute(delete(OutboxEmail).where(OutboxEmail.case_id == case.id))
            post_ids = list(session.scalars(select(Post.id).where(Post.case_id == case.id)))
            _delete_posts(session, post_ids)
            session.execute(delete(CaseEvent).where(CaseEvent.case_id == case.id))
            session.execute(delete(CaseStep).where(CaseStep.case_id == case.id))
            session.execute(delete(CaseLetter).where(CaseLetter.case_id == case.id))
            _forget(session, "case", [case.reference])
            session.delete(case)
        report = PurgeReport(
            irrelevant_posts=_delete_posts(session, irrelevant),
            unflagged_posts=_delete_posts(session, unflagged),
            dismissed_flags=len(dismissed_ids),
            closed_cases=len(cases),
            eml_files=sum(1 for path in removed_files if path.exists()),
            digests=len(digests),
        )
        audit = AuditEvent(actor="schoolwatch", action="retention.purge", object_type="retention")
        audit.detail, audit.created_at = report.summary(), now
        session.add(audit)
    for path in removed_files:
        path.unlink(missing_ok=True)
    log.info("retention purge: %s", report.summary())
    return report
