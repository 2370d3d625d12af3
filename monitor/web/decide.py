"""Reviewers' decisions on flags: each moves the case through the workflow where it applies,
and writes an audit event and a training label."""

from __future__ import annotations

from sqlalchemy.orm import Session

from config import Settings
from models import AuditEvent, Case, CaseEvent, Flag, Post, TrainingLabel, User, utcnow
from monitor.cases import worst
from monitor.workflow import allowed, transition


def _labels(post: Post) -> list[str]:
    return sorted({f.category for f in post.flags if f.status == "confirmed"})


def _record(
    session: Session,
    user: User,
    post: Post,
    flag: Flag | None,
    decision: str,
    reason: str | None = None,
    note: str | None = None,
    detail: str = "",
) -> None:
    now = utcnow()
    session.add(
        TrainingLabel(post_id=post.id, flag_id=flag.id if flag else None, decision=decision,
                      labels=_labels(post), reason=reason, note=note, actor=user.email,
                      created_at=now)
    )  # fmt: skip
    session.add(
        AuditEvent(actor=user.email, action=f"flag_{decision}" if flag else decision,
                   object_type="flag" if flag else "post",
                   object_id=str(flag.id if flag else post.id), detail=detail or None,
                   created_at=now)
    )  # fmt: skip
    if post.case is not None:
        session.add(CaseEvent(case_id=post.case.id, actor=user.email, action=decision,
                              detail=detail or None, created_at=now))  # fmt: skip


def _refresh_case(case: Case, settings: Settings) -> None:
    live = [f for p in case.posts for f in p.flags if f.status != "dismissed"]
    if live:
        case.categories = sorted({f.category for f in live})
        case.severity = worst([f.severity for f in live])
    case.updated_at = utcnow()


def _move(session: Session, case: Case | None, target: str, user: User) -> None:
    if case is not None and target in allowed(case.status, user.role):
        transition(session, case, target, user.email, user.role)


def confirm(session: Session, flag: Flag, user: User, settings: Settings) -> None:
    flag.status = "confirmed"
    post = flag.post
    case = post.case
    if case is not None:
        _refresh_case(case, settings)
        if case.status == "dismissed":  # a leader may reopen; for staff the case stays as it is
            _move(session, case, "new", user)
        if case.status == "new":
            _move(session, case, "confirmed", user)
    _record(session, user, post, flag, "confirm", detail=f"{flag.category} confirmed")


def dismiss(session: Session, flag: Flag, user: User, reason: str, settings: Settings) -> None:
    flag.status = "dismissed"
    post = flag.post
    case = post.case
    if case is not None:
        _refresh_case(case, settings)
        every = [f for p in case.posts for f in p.flags]
        if case.status == "new" and all(f.status == "dismissed" for f in every):
            _move(session, case, "dismissed", user)
    _record(session, user, post, flag, "dismiss", reason=reason,
            detail=f"{flag.category} dismissed: {reason}")  # fmt: skip


def recategorise(
    session: Session, flag: Flag, user: User, category: str, settings: Settings
) -> None:
    """The post does break the policy, under another category: the flag is confirmed as that."""
    old = flag.category
    flag.category, flag.severity, flag.status = category, settings.severity(category), "confirmed"
    post = flag.post
    if post.case is not None:
        _refresh_case(post.case, settings)
        if post.case.status == "new":
            _move(session, post.case, "confirmed", user)
    _record(session, user, post, flag, "recategorise", reason="wrong_category",
            detail=f"{old} -> {category}")  # fmt: skip


def add_note(session: Session, post: Post, user: User, note: str) -> None:
    _record(session, user, post, None, "note", note=note, detail=note[:200])
