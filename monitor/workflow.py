"""The case workflow from the policy's procedure: states, allowed moves, and who may make them.

new -> confirmed | dismissed; confirmed -> parent_contacted -> warning_sent -> takedown_requested
-> escalated -> resolved. Later steps may be taken directly when the case calls for it (a threat
goes straight to the police), and any open case may be resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models import Case, CaseEvent, utcnow

STATES: tuple[str, ...] = (
    "new",
    "confirmed",
    "dismissed",
    "parent_contacted",
    "warning_sent",
    "takedown_requested",
    "escalated",
    "resolved",
)
CLOSED: frozenset[str] = frozenset({"dismissed", "resolved"})
ROLES: tuple[str, ...] = ("headteacher", "dsl", "staff")
LEADERS: frozenset[str] = frozenset({"headteacher", "dsl"})

_FORWARD = ("confirmed", "parent_contacted", "warning_sent", "takedown_requested", "escalated")
MOVES: dict[str, frozenset[str]] = {
    "new": frozenset({"confirmed", "dismissed"}),
    "confirmed": frozenset({*_FORWARD[1:], "resolved", "dismissed"}),
    "parent_contacted": frozenset({*_FORWARD[2:], "resolved"}),
    "warning_sent": frozenset({*_FORWARD[3:], "resolved"}),
    "takedown_requested": frozenset({"escalated", "resolved"}),
    "escalated": frozenset({"resolved"}),
    "dismissed": frozenset({"new"}),
    "resolved": frozenset({"confirmed"}),
}
# Staff may confirm or dismiss a flag; letters, takedowns, escalation and closing are for leaders.
STAFF_MAY: frozenset[str] = frozenset({"confirmed", "dismissed"})


class WorkflowError(Exception):
    """A move the workflow or the user's role does not allow."""


@dataclass(frozen=True)
class Move:
    case_reference: str
    old: str
    new: str
    actor: str
    at: datetime


# Cases that only the Headteacher or the DSL may dismiss: staff propose, a leader signs off.
WEIGHTY: frozenset[str] = frozenset({"urgent", "high"})


def allowed(current: str, role: str, severity: str = "") -> list[str]:
    """The states a user with ``role`` may move a case in ``current`` to, in workflow order.
    Staff never dismiss an urgent or high case: that needs the Headteacher or the DSL."""
    targets = MOVES.get(current, frozenset())
    if role not in LEADERS:
        targets = targets & STAFF_MAY
        if severity in WEIGHTY:
            targets = targets - {"dismissed"}
    return [s for s in STATES if s in targets]


def transition(
    session: Session, case: Case, new: str, actor: str, role: str, note: str = ""
) -> Move:
    """Move ``case`` to ``new``, recording who and when; raises WorkflowError if not allowed."""
    if new not in STATES:
        raise WorkflowError(f"unknown case status {new!r}")
    if new not in allowed(case.status, role, case.severity):
        raise WorkflowError(f"a {role} cannot move a case from {case.status} to {new}")
    now = utcnow()
    old, case.status, case.updated_at = case.status, new, now
    detail = f"{old} -> {new}" + (f": {note}" if note else "")
    session.add(
        CaseEvent(case_id=case.id, actor=actor, action="status", detail=detail, created_at=now)
    )
    return Move(case.reference, old, new, actor, now)
