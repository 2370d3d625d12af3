"""Undo within the day: every decision keeps the state of its flag and case before and after it,
and the person who made it, or the Headteacher or the DSL, may put it back until midnight in the
school's time zone. An undo is written to the case timeline in words and to the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Case, CaseEvent, Decision, Flag, TrainingLabel, User, utcnow
from monitor.workflow import LEADERS

KINDS = ("confirm", "dismiss", "recategorise", "move")
LABELS = {"confirm": "confirmation", "dismiss": "dismissal", "recategorise": "category change",
          "move": "move"}  # fmt: skip


class UndoRefused(Exception):
    """The decision cannot be undone: not the user's, the day is over, or it has changed since."""


def flag_state(flag: Flag) -> dict[str, str]:
    return {"status": flag.status, "category": flag.category, "severity": flag.severity}


def case_state(case: Case | None) -> dict[str, Any]:
    if case is None:
        return {}
    return {"status": case.status, "severity": case.severity, "categories": list(case.categories)}


def snapshot(flag: Flag | None, case: Case | None) -> dict[str, Any]:
    return {"flag": flag_state(flag) if flag else {}, "case": case_state(case)}


def remember(
    session: Session,
    kind: str,
    user: User,
    before: dict[str, Any],
    flag: Flag | None = None,
    case: Case | None = None,
) -> Decision:
    """Keep a decision just made, with ``before`` taken by ``snapshot`` before it was made."""
    case = case if case is not None else (flag.post.case if flag is not None else None)
    decision = Decision(kind=kind, actor=user.email, flag_id=flag.id if flag else None,
                        case_id=case.id if case else None, before=before,
                        after=snapshot(flag, case), created_at=utcnow())  # fmt: skip
    session.add(decision)
    return decision


def undo_until(made_at: datetime, timezone: str) -> datetime:
    """Midnight at the end of the school's day on which the decision was made, in UTC."""
    zone = ZoneInfo(timezone)
    day = made_at.astimezone(zone).date()
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


def may_undo(decision: Decision, user: User, timezone: str, now: datetime | None = None) -> bool:
    """Whether ``user`` may undo ``decision`` now; says nothing of later changes."""
    if decision.undone_at is not None:
        return False
    if decision.actor != user.email and user.role not in LEADERS:
        return False
    return (now or utcnow()) < undo_until(decision.created_at, timezone)


def undoable(
    session: Session, user: User, timezone: str, flag_ids: Iterable[int] = (), case_id: int = 0
) -> dict[int, Decision]:
    """The decisions ``user`` may undo now, the latest per flag (by flag id) or, for a case, per
    flag and case move (by decision id)."""
    now = utcnow()
    start = undo_until(now, timezone) - timedelta(days=2)  # yesterday's start at the earliest
    query = select(Decision).where(Decision.created_at >= start, Decision.undone_at.is_(None))
    ids = list(flag_ids)
    if case_id:
        query = query.where(Decision.case_id == case_id)
    elif ids:
        query = query.where(Decision.flag_id.in_(ids))
    else:
        return {}
    latest: dict[object, Decision] = {}
    for decision in session.scalars(query.order_by(Decision.id)):
        latest[decision.flag_id or ("case", decision.case_id)] = decision
    kept = [d for d in latest.values() if may_undo(d, user, timezone, now)]
    if case_id:
        return {d.id: d for d in kept}
    return {d.flag_id: d for d in kept if d.flag_id is not None}


def recent(session: Session, user: User, timezone: str, limit: int = 10) -> list[Decision]:
    """The user's own decisions of today that can still be undone, newest first: the queue lists
    them, since a decided flag leaves the open queue and its own undo button with it."""
    now = utcnow()
    start = undo_until(now, timezone) - timedelta(days=1)
    query = (
        select(Decision)
        .where(Decision.actor == user.email, Decision.created_at >= start,
               Decision.undone_at.is_(None))
        .order_by(Decision.id.desc())
        .limit(limit * 3)
    )  # fmt: skip
    kept: list[Decision] = []
    seen: set[object] = set()
    for decision in session.scalars(query):
        key = decision.flag_id or ("case", decision.case_id)
        if key in seen:
            continue
        seen.add(key)
        if decision.flag_id is not None:
            flag = session.get(Flag, decision.flag_id)
            if flag is None or flag_state(flag) != decision.after["flag"]:
                continue
        else:
            case = session.get(Case, decision.case_id) if decision.case_id else None
            if case is None or case.status != decision.after["case"].get("status"):
                continue
        kept.append(decision)
    return kept[:limit]


def _words(decision: Decision) -> str:
    before, after = decision.before.get("flag", {}), decision.after.get("flag", {})
    if decision.kind == "move":
        old, new = decision.before["case"]["status"], decision.after["case"]["status"]
        return f"the move of the case from {old} to {new}".replace("_", " ")
    if decision.kind == "recategorise":
        return f"the change of category from {before['category']} to {after['category']}"
    done = {"confirm": "confirmation", "dismiss": "dismissal"}[decision.kind]
    return f"the {done} of the {after['category']} flag"


def describe(decision: Decision) -> str:
    """What undoing ``decision`` would put back, for its button."""
    return _words(decision)


def _fits(case: Case, status: str) -> bool:
    """Whether the case may go back to ``status`` with its flags as they now are: not to *new*
    while another flag stays confirmed, nor to *dismissed* while a flag is not dismissed."""
    flags = [f for p in case.posts for f in p.flags]
    if status == "new":
        return not any(f.status == "confirmed" for f in flags)
    if status == "dismissed":
        return all(f.status == "dismissed" for f in flags)
    return True


def undo(session: Session, decision: Decision, user: User, timezone: str) -> str:
    """Put back the state before ``decision``; returns what was done, in words. Raises
    UndoRefused when the user may not, the day is over, or the flag or case changed since."""
    from monitor.web.decide import refresh_case  # decide imports this module: import it late

    if decision.undone_at is not None:
        raise UndoRefused("This decision has already been undone.")
    if decision.actor != user.email and user.role not in LEADERS:
        raise UndoRefused(
            "Only the person who made a decision, the headteacher or the DSL may undo it."
        )
    if utcnow() >= undo_until(decision.created_at, timezone):
        raise UndoRefused("A decision can be undone only until midnight of the day it was made.")
    flag = session.get(Flag, decision.flag_id) if decision.flag_id else None
    case = session.get(Case, decision.case_id) if decision.case_id else None
    if flag is not None and flag_state(flag) != decision.after["flag"]:
        raise UndoRefused("The flag has changed since: undo the later decision first.")
    after_case = decision.after.get("case") or {}
    if decision.kind == "move" and (case is None or case.status != after_case.get("status")):
        raise UndoRefused("The case has moved on since: undo the later move first.")
    words = _words(decision)
    now = utcnow()
    if flag is not None:
        old = decision.before["flag"]
        flag.status, flag.category, flag.severity = old["status"], old["category"], old["severity"]
        words += f": the flag is {flag.category}, {flag.status} again"
    if case is not None:
        old_status = (decision.before.get("case") or {}).get("status")
        if (
            old_status
            and old_status != case.status
            and case.status == after_case.get("status")
            and _fits(case, old_status)
        ):
            case.status, case.updated_at = old_status, now
            session.add(CaseEvent(case_id=case.id, actor=user.email, action="status",
                                  detail=f"{after_case['status']} -> {old_status} (undone)",
                                  created_at=now))  # fmt: skip
            words += f"; the case is {old_status.replace('_', ' ')} again"
        if flag is not None:
            refresh_case(session, case, user, "undo")
    detail = f"{user.email} undid {words}"
    if decision.actor != user.email:
        detail += f" (the decision was {decision.actor}'s)"
    decision.undone_at, decision.undone_by = now, user.email
    on = "case" if decision.kind == "move" else "flag"
    session.add(AuditEvent(actor=user.email, action=f"{on}_undo", object_type=on,
                           object_id=str(decision.case_id if on == "case" else decision.flag_id),
                           detail=detail, created_at=now))  # fmt: skip
    if case is not None:
        session.add(CaseEvent(case_id=case.id, actor=user.email, action="undo", detail=detail,
                              created_at=now))  # fmt: skip
    if flag is not None:
        post = flag.post
        decided = [f for f in post.flags if f.status != "open"]
        session.add(TrainingLabel(
            post_id=post.id, flag_id=flag.id, decision="undo",
            labels=sorted({f.category for f in post.flags if f.status == "confirmed"}),
            reason=None if decided else "undecided", actor=user.email, created_at=now,
        ))  # fmt: skip
    return detail
