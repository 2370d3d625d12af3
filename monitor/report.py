"""The Headteacher's yearly report to governors: how many incidents, of what kind, on which
platforms, how fast they were dealt with and how they ended, for one academic year.

An academic year runs from 1 September to 31 August in the school's own time zone. An incident
is a case opened in the year that was not dismissed as a false alarm. Detection is the case's
first flag or its opening, whichever came first; the first decision is the first time anyone
confirmed, dismissed or re-categorised one of its flags or moved the case; resolution is the
last move to "resolved" of a case that is resolved now. Only counts and codes leave this
module: never a post's text, an author or a name.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config.settings import CATEGORIES
from models import Case, CaseEvent, CaseStep, Flag, Post
from monitor.followup import OUTCOMES

DECISIONS = ("confirm", "dismiss", "recategorise", "status")
TAKEDOWN_STEPS = ("ask_host", "page_admin")
NOT_RECORDED = "not recorded yet"
_YEAR = re.compile(r"(\d{4})-(\d{2})")


class YearError(ValueError):
    """A year that is not written like 2025-26."""


@dataclass(frozen=True)
class AcademicYear:
    start: int  # 2025 for 2025-26

    @classmethod
    def parse(cls, text: str) -> AcademicYear:
        match = _YEAR.fullmatch(text.strip())
        if not match or int(match.group(2)) != (int(match.group(1)) + 1) % 100:
            raise YearError(
                f"{text!r} is not an academic year: write it like 2025-26 "
                "(1 September 2025 to 31 August 2026)"
            )
        return cls(int(match.group(1)))

    @classmethod
    def containing(cls, moment: datetime, zone: ZoneInfo) -> AcademicYear:
        local = moment.astimezone(zone)
        return cls(local.year if local.month >= 9 else local.year - 1)

    @property
    def label(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def words(self) -> str:
        return f"1 September {self.start} to 31 August {self.start + 1}"

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """From midnight on 1 September to midnight on the next 1 September, school time."""
        return (
            datetime(self.start, 9, 1, tzinfo=zone),
            datetime(self.start + 1, 9, 1, tzinfo=zone),
        )

    def months(self) -> list[date]:
        return [date(self.start + (8 + i) // 12, (8 + i) % 12 + 1, 1) for i in range(12)]


@dataclass(frozen=True)
class CaseLine:
    """One case, as the report and its CSV see it: codes, counts and times only."""

    reference: str
    opened: datetime
    detected: datetime
    categories: tuple[str, ...]
    severity: str
    platforms: tuple[str, ...]
    status: str
    outcome: str | None
    first_decision: datetime | None
    resolved: datetime | None
    takedown_asked: bool

    @property
    def hours_to_first_decision(self) -> float | None:
        return _hours(self.detected, self.first_decision)

    @property
    def hours_to_resolution(self) -> float | None:
        return _hours(self.detected, self.resolved)

    @property
    def incident(self) -> bool:
        return self.status != "dismissed"


def _hours(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else max(0.0, (end - start) / timedelta(hours=1))


@dataclass(frozen=True)
class Speed:
    """How long something took across ``count`` cases: median and 90th percentile, in hours."""

    count: int
    median: float | None
    p90: float | None


def speed(hours: list[float]) -> Speed:
    """The median, and the 90th percentile by nearest rank (90 % took this long or less)."""
    if not hours:
        return Speed(0, None, None)
    ordered = sorted(hours)
    return Speed(
        len(ordered), statistics.median(ordered), ordered[math.ceil(0.9 * len(ordered)) - 1]
    )


@dataclass(frozen=True)
class Takedown:
    platform: str
    asked: int
    removed: int
    refused: int

    @property
    def waiting(self) -> int:
        return self.asked - self.removed - self.refused


@dataclass(frozen=True)
class Report:
    year: AcademicYear
    zone: str
    generated_at: datetime
    cases: list[CaseLine]
    by_category: list[tuple[str, int]]
    by_platform: list[tuple[str, int]]
    by_month: list[tuple[str, int]]
    outcomes: list[tuple[str, int]]
    to_first_decision: Speed
    to_resolution: Speed
    takedowns: list[Takedown]
    flags_decided: int
    flags_dismissed: int

    @property
    def incidents(self) -> list[CaseLine]:
        return [c for c in self.cases if c.incident]

    @property
    def dismissed(self) -> int:
        return len(self.cases) - len(self.incidents)

    @property
    def false_alarm_rate(self) -> float | None:
        return self.flags_dismissed / self.flags_decided if self.flags_decided else None


def case_lines(session: Session, start: datetime, end: datetime) -> list[CaseLine]:
    """Every case opened in [start, end), oldest first."""
    cases = session.scalars(
        select(Case).where(Case.created_at >= start, Case.created_at < end)
        .order_by(Case.created_at, Case.id)
    ).all()  # fmt: skip
    ids = [c.id for c in cases]
    if not ids:
        return []
    platforms: dict[int, set[str]] = {}
    for case_id, platform in session.execute(
        select(Post.case_id, Post.platform).where(Post.case_id.in_(ids)).distinct()
    ):
        if case_id is not None:
            platforms.setdefault(case_id, set()).add(platform)
    first_flag: dict[int, datetime] = {}
    for case_id, first in session.execute(
        select(Post.case_id, func.min(Flag.created_at))
        .join(Flag, Flag.post_id == Post.id)
        .where(Post.case_id.in_(ids))
        .group_by(Post.case_id)
    ):
        if case_id is not None and first is not None:
            first_flag[case_id] = _aware(first)
    decided: dict[int, datetime] = {}
    resolved: dict[int, datetime] = {}
    events = session.execute(
        select(CaseEvent.case_id, CaseEvent.action, CaseEvent.detail, CaseEvent.created_at)
        .where(CaseEvent.case_id.in_(ids), CaseEvent.action.in_(DECISIONS))
        .order_by(CaseEvent.created_at, CaseEvent.id)
    )
    for case_id, action, detail, at in events:
        decided.setdefault(case_id, at)
        if action == "status" and _moved_to(detail) == "resolved":
            resolved[case_id] = at
    asked = set(
        session.scalars(
            select(CaseStep.case_id).where(
                CaseStep.case_id.in_(ids), CaseStep.step.in_(TAKEDOWN_STEPS)
            )
        )
    )
    lines = []
    for case in cases:
        flagged = first_flag.get(case.id)
        detected = min(case.created_at, flagged) if flagged else case.created_at
        lines.append(
            CaseLine(
                reference=case.reference,
                opened=case.created_at,
                detected=_aware(detected),
                categories=tuple(sorted(case.categories or [])),
                severity=case.severity,
                platforms=tuple(sorted(platforms.get(case.id, set()))),
                status=case.status,
                outcome=case.outcome,
                first_decision=decided.get(case.id),
                resolved=resolved.get(case.id) if case.status == "resolved" else None,
                takedown_asked=case.id in asked or case.outcome in ("removed", "refused"),
            )
        )
    return lines


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _moved_to(detail: str | None) -> str:
    """The new state in a status event's "old -> new[: note]"."""
    head = (detail or "").split(": ", 1)[0]
    return head.split(" -> ", 1)[1].strip() if " -> " in head else ""


def build_report(session: Session, year: AcademicYear, zone_name: str, now: datetime) -> Report:
    zone = ZoneInfo(zone_name)
    start, end = year.bounds(zone)
    cases = case_lines(session, start, end)
    incidents = [c for c in cases if c.incident]

    categories = Counter(cat for c in incidents for cat in c.categories)
    known = [cat for cat in CATEGORIES if categories[cat]]
    others = sorted(cat for cat in categories if cat not in CATEGORIES)
    platforms = Counter(p for c in incidents for p in (c.platforms or ("unknown",)))
    months = Counter(c.opened.astimezone(zone).strftime("%Y-%m") for c in incidents)
    outcomes = Counter(c.outcome or "" for c in incidents)

    takedowns: dict[str, list[int]] = {}
    for c in incidents:
        if not c.takedown_asked:
            continue
        for platform in c.platforms or ("unknown",):
            row = takedowns.setdefault(platform, [0, 0, 0])
            row[0] += 1
            row[1] += c.outcome == "removed"
            row[2] += c.outcome == "refused"

    decided = session.execute(
        select(Flag.status, func.count())
        .where(Flag.created_at >= start, Flag.created_at < end,
               Flag.status.in_(("confirmed", "dismissed")))
        .group_by(Flag.status)
    ).all()  # fmt: skip
    flag_counts = {status: count for status, count in decided}
    return Report(
        year=year,
        zone=zone_name,
        generated_at=now,
        cases=cases,
        by_category=[(cat, categories[cat]) for cat in (*known, *others)],
        by_platform=sorted(platforms.items(), key=lambda kv: (-kv[1], kv[0])),
        by_month=[(m.strftime("%B %Y"), months[m.strftime("%Y-%m")]) for m in year.months()],
        outcomes=[(code, outcomes[code]) for code, _ in OUTCOMES if outcomes[code]]
        + ([(NOT_RECORDED, outcomes[""])] if outcomes[""] else []),
        to_first_decision=speed([h for c in cases if (h := c.hours_to_first_decision) is not None]),
        to_resolution=speed([h for c in incidents if (h := c.hours_to_resolution) is not None]),
        takedowns=[Takedown(p, *row) for p, row in sorted(takedowns.items())],
        flags_decided=sum(flag_counts.values()),
        flags_dismissed=flag_counts.get("dismissed", 0),
    )


def in_words(hours: float | None) -> str:
    """A duration as people say it: 40 minutes, 5 hours, 3.5 days."""
    if hours is None:
        return "none yet"
    if hours < 1:
        minutes = max(1, round(hours * 60))
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if hours < 48:
        value = _number(hours)
        return f"{value} hour{'s' if value != '1' else ''}"
    return f"{_number(hours / 24)} days"


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
