"""The school's own adjustments, kept in the database: "not a concern here" rules made from
dismissals, and thresholds the Headteacher applied from the calibration page. Every change is
audit-logged."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from classifiers.learned import LearnedModel
from classifiers.suppress import NEVER_SUPPRESSED, Suppression, SuppressionError, check_rule
from config import CATEGORIES
from config.settings import DEFAULT_THRESHOLD
from models import AuditEvent, Flag, SchoolRule, ThresholdOverride, User, utcnow

MAX_RULE_DAYS = 366


class NotAllowed(PermissionError):
    """Only the Headteacher may do this."""


def active_rules(session: Session, now: datetime | None = None) -> list[SchoolRule]:
    now = now or utcnow()
    query = (
        select(SchoolRule)
        .where(SchoolRule.removed_at.is_(None))
        .where(or_(SchoolRule.expires_at.is_(None), SchoolRule.expires_at > now))
        .order_by(SchoolRule.id)
    )
    return list(session.scalars(query))


def suppressions(session: Session, now: datetime | None = None) -> tuple[Suppression, ...]:
    return tuple(
        Suppression(r.phrase, frozenset(r.categories), r.id) for r in active_rules(session, now)
    )


def create_rule(
    session: Session,
    user: User,
    phrase: str,
    categories: list[str],
    reason: str,
    days: int | None,
    flag: Flag | None = None,
) -> SchoolRule:
    """A new rule; :class:`SuppressionError` when it would touch a protected category."""
    phrase, allowed = check_rule(phrase, categories)
    if days is not None and not 1 <= days <= MAX_RULE_DAYS:
        raise SuppressionError(f"a rule lasts from 1 to {MAX_RULE_DAYS} days, or until removed")
    now = utcnow()
    rule = SchoolRule(
        phrase=phrase, categories=sorted(allowed), reason=reason.strip() or "not a concern here",
        actor=user.email, source_flag_id=flag.id if flag else None, created_at=now,
        expires_at=now + timedelta(days=days) if days else None,
    )  # fmt: skip
    session.add(rule)
    session.flush()
    until = rule.expires_at.date().isoformat() if rule.expires_at else "until removed"
    session.add(AuditEvent(
        actor=user.email, action="school_rule_created", object_type="school_rule",
        object_id=str(rule.id), created_at=now,
        detail=f"posts with {phrase!r} raise no {', '.join(rule.categories)} flag ({until}): "
        f"{rule.reason}",
    ))  # fmt: skip
    return rule


def remove_rule(session: Session, rule: SchoolRule, user: User) -> None:
    now = utcnow()
    rule.removed_at, rule.removed_by = now, user.email
    session.add(AuditEvent(actor=user.email, action="school_rule_removed",
                           object_type="school_rule", object_id=str(rule.id),
                           detail=f"rule {rule.phrase!r} removed", created_at=now))  # fmt: skip


def threshold_overrides(session: Session) -> dict[str, float]:
    """The newest applied threshold per category."""
    found: dict[str, float] = {}
    for row in session.scalars(select(ThresholdOverride).order_by(ThresholdOverride.id)):
        found[row.category] = row.value
    return found


def safety_ceiling(
    configured: Mapping[str, float], model: LearnedModel | None, category: str
) -> float | None:
    """The highest threshold the review page may set for ``category``: for threat, racist and
    selfharm, the one in force without the school's applied overrides (the config's value, else
    the trained one). A school may make a safety category more sensitive, never quieter: a
    missed threat costs more than a dismissed false alarm. None for the other categories."""
    if category not in NEVER_SUPPRESSED:
        return None
    if category in configured:
        return configured[category]
    if model is not None and category in model.thresholds:
        return model.thresholds[category]
    return DEFAULT_THRESHOLD


def apply_threshold(
    session: Session,
    user: User,
    category: str,
    value: float,
    previous: float | None,
    ceiling: float | None = None,
) -> ThresholdOverride:
    """Writes the school's threshold for ``category``: the Headteacher's call alone, and never
    above ``ceiling`` (see :func:`safety_ceiling`)."""
    if user.role != "headteacher":
        raise NotAllowed("only the Headteacher may change a threshold")
    if category not in CATEGORIES or not 0.0 < value < 1.0:
        raise ValueError(f"no threshold {value!r} for {category!r}")
    if ceiling is not None and value > ceiling + 1e-9:
        raise ValueError(
            f"the {category} threshold may go down (more flags) but not above {ceiling:.2f}: "
            "a safety category is never made quieter from this page"
        )
    now = utcnow()
    row = ThresholdOverride(category=category, value=value, previous=previous,
                            actor=user.email, created_at=now)  # fmt: skip
    session.add(row)
    was = "the default" if previous is None else f"{previous:.2f}"
    session.add(AuditEvent(actor=user.email, action="threshold_applied", object_type="threshold",
                           object_id=category, created_at=now,
                           detail=f"{category} threshold {was} -> {value:.2f}"))  # fmt: skip
    return row
