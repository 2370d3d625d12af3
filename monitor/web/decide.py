"""Reviewers' decisions on flags: each moves the case through the workflow where it applies,
and writes an audit event and a training label."""

from __future__ import annotations

from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from config import Settings
from config.settings import SEVERITIES
from models import (
    AuditEvent,
    Case,
    CaseEvent,
    Flag,
    Membership,
    OutboxEmail,
    Post,
    TrainingLabel,
    User,
    utcnow,
)
from monitor.cases import worst
from monitor.web.forms import DISMISS_REASONS
from monitor.web.undo import remember, snapshot
from monitor.workflow import LEADERS, WEIGHTY, allowed, transition

REASON_WORDS = {value: label.lower() for value, label in DISMISS_REASONS}


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


def refresh_case(session: Session, case: Case, user: User, why: str = "") -> None:
    """The case's categories and severity from its live flags; a change of severity goes in its
    timeline in words, with who and why."""
    live = [f for p in case.posts for f in p.flags if f.status != "dismissed"]
    before = case.severity
    if live:
        case.categories = sorted({f.category for f in live})
        case.severity = worst([f.severity for f in live])
    case.updated_at = utcnow()
    if case.severity != before:
        way = "lowered" if SEVERITIES.index(case.severity) > SEVERITIES.index(before) else "raised"
        detail = f"Severity {way} from {before} to {case.severity} by {user.email}"
        session.add(CaseEvent(case_id=case.id, actor=user.email, action="severity",
                              detail=detail + (f": {why}" if why else ""),
                              created_at=case.updated_at))  # fmt: skip


def _move(session: Session, case: Case | None, target: str, user: User) -> None:
    if case is not None and target in allowed(case.status, user.role, case.severity):
        transition(session, case, target, user.email, user.role)


def confirm(session: Session, flag: Flag, user: User, settings: Settings) -> None:
    post = flag.post
    case = post.case
    before = snapshot(flag, case)
    flag.status = "confirmed"
    if case is not None:
        refresh_case(session, case, user, f"{flag.category} confirmed")
        if case.status == "dismissed":  # a leader may reopen; for staff the case stays as it is
            _move(session, case, "new", user)
        if case.status == "new":
            _move(session, case, "confirmed", user)
    _record(session, user, post, flag, "confirm", detail=f"{flag.category} confirmed")
    remember(session, "confirm", user, before, flag)


def dismiss(session: Session, flag: Flag, user: User, reason: str, settings: Settings) -> bool:
    """Dismiss the flag; False when it is only proposed: staff cannot dismiss an urgent or high
    flag alone, so the Headteacher and the DSL are asked to sign off and the flag stays open."""
    said = REASON_WORDS.get(reason, reason)
    post = flag.post
    case = post.case
    if user.role not in LEADERS and flag.severity in WEIGHTY:
        _propose_dismissal(session, flag, user, said, settings)
        return False
    before = snapshot(flag, case)
    flag.status = "dismissed"
    if case is not None:
        refresh_case(session, case, user, f"{flag.category} dismissed ({said})")
        every = [f for p in case.posts for f in p.flags]
        if case.status == "new" and all(f.status == "dismissed" for f in every):
            _move(session, case, "dismissed", user)
    _record(session, user, post, flag, "dismiss", reason=reason,
            detail=f"{flag.category} dismissed: {said}")  # fmt: skip
    remember(session, "dismiss", user, before, flag)
    return True


def _propose_dismissal(
    session: Session, flag: Flag, user: User, said: str, settings: Settings
) -> None:
    post, case = flag.post, flag.post.case
    where = case.reference if case is not None else f"post {post.id}"
    detail = f"{user.email} proposes dismissing the {flag.severity} {flag.category} flag: {said}"
    session.add(AuditEvent(actor=user.email, action="flag_dismiss_proposed", object_type="flag",
                           object_id=str(flag.id), detail=detail, created_at=utcnow()))  # fmt: skip
    if case is not None:
        session.add(CaseEvent(case_id=case.id, actor=user.email, action="dismissal proposed",
                              detail=detail, created_at=utcnow()))  # fmt: skip
    leaders = list(session.scalars(
        select(User.email).join(Membership, Membership.user_id == User.id)
        .where(Membership.role.in_(sorted(LEADERS)), User.active.is_(True))
    ))  # fmt: skip
    link = (
        f"{settings.alerts.base_url}/cases/{where}"
        if case is not None
        else settings.alerts.base_url
    )
    text = (
        f"{detail}.\n\nOnly the Headteacher or the DSL may dismiss an urgent or high flag. "
        f"Read the post and decide: {link}\n"
    )
    session.add(OutboxEmail(
        dedup_key=f"signoff:{flag.id}:{utcnow():%Y%m%d%H%M%S%f}",
        case_id=case.id if case else None,
        kind="signoff", recipients=leaders or list(settings.alerts.recipients),
        sender=settings.alerts.sender,
        subject=f"Sign-off needed: dismiss the {flag.severity} {flag.category} flag on {where}?",
        body_text=text, body_html=f"<p>{escape(text)}</p>", status="pending", attempts=0,
        created_at=utcnow(),
    ))  # fmt: skip


def recategorise(
    session: Session, flag: Flag, user: User, category: str, settings: Settings
) -> None:
    """The post does break the policy, under another category: the flag is confirmed as that."""
    old = flag.category
    before = snapshot(flag, flag.post.case)
    flag.category, flag.severity, flag.status = category, settings.severity(category), "confirmed"
    post = flag.post
    if post.case is not None:
        refresh_case(session, post.case, user, f"{old} changed to {category}")
        if post.case.status == "new":
            _move(session, post.case, "confirmed", user)
    _record(session, user, post, flag, "recategorise", reason="wrong_category",
            detail=f"{old} -> {category}")  # fmt: skip
    remember(session, "recategorise", user, before, flag)


def add_note(session: Session, post: Post, user: User, note: str) -> None:
    _record(session, user, post, None, "note", note=note, detail=note[:200])
