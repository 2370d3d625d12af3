"""The trust's view across its schools: how many incidents each school had, of which kind and
when, which schools' sources are failing, and how many posts the shared searches found but
could place in no school. Counts and source health only: no post, no pupil, no case reference
leaves a school this way."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from models import Case, Post, Source, utcnow

WEEKS = 12


@dataclass(frozen=True)
class FailingSource:
    school_id: int
    name: str
    type: str
    consecutive_failures: int
    last_success_at: datetime | None


@dataclass(frozen=True)
class Unclaimed:
    """A shared search's posts no member school could be named for, over the view's weeks:
    each is kept by every member school (``monitor/unclaimed.py``)."""

    posts: int = 0  # distinct posts across the trust
    unsure: int = 0  # of which raised a safety category: in every member's queue, demoted
    # school id -> (rows kept, rows flagged into its queue)
    by_school: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class TrustView:
    weeks: list[str]  # ISO weeks, oldest first, e.g. "2026-W49"
    # (school id, category, week) -> cases opened
    incidents: Counter[tuple[int, str, str]]
    failing: list[FailingSource]
    unclaimed: Unclaimed = field(default_factory=Unclaimed)

    def school_total(self, school_id: int) -> int:
        return sum(n for (school, _c, _w), n in self.incidents.items() if school == school_id)

    def cell(self, school_id: int, week: str) -> int:
        return sum(
            n for (school, _c, w), n in self.incidents.items() if school == school_id and w == week
        )

    def by_category(self, school_id: int) -> Counter[str]:
        counts: Counter[str] = Counter()
        for (school, category, _w), n in self.incidents.items():
            if school == school_id:
                counts[category] += n
        return counts


def iso_week(when: datetime) -> str:
    year, week, _day = when.isocalendar()
    return f"{year}-W{week:02d}"


def trust_view(session: Session, now: datetime | None = None, weeks: int = WEEKS) -> TrustView:
    """From a cross-school session (``Deployment.aggregates``): cases opened per school, category
    and ISO week over the last ``weeks`` weeks, and every source whose last cycle failed."""
    now = now or utcnow()
    start = now - timedelta(weeks=weeks - 1, days=now.weekday())
    start = start.replace(hour=0, minute=0, second=0, microsecond=0)
    labels = [iso_week(start + timedelta(weeks=i)) for i in range(weeks)]
    incidents: Counter[tuple[int, str, str]] = Counter()
    rows = session.execute(
        select(Case.school_id, Case.categories, Case.created_at).where(Case.created_at >= start)
    )
    for school_id, categories, created_at in rows:
        for category in categories or ["uncategorised"]:
            incidents[(school_id, category, iso_week(created_at))] += 1
    failing = [
        FailingSource(s.school_id, s.name, s.type, s.consecutive_failures or 0, s.last_success_at)
        for s in session.scalars(
            select(Source)
            .where(or_(Source.last_outcome == "error", Source.consecutive_failures > 0))
            .order_by(Source.school_id, Source.name)
        )
    ]
    return TrustView(labels, incidents, failing, unclaimed_counts(session, start))


def unclaimed_counts(session: Session, since: datetime) -> Unclaimed:
    """Counts of the unclaimed posts fetched since ``since`` (a cross-school session)."""
    recent = [Post.unclaimed.is_not(None), Post.fetched_at >= since]
    by_school: dict[int, tuple[int, int]] = {}
    rows = session.execute(
        select(Post.school_id, Post.relevant, func.count()).where(*recent)
        .group_by(Post.school_id, Post.relevant)
    )  # fmt: skip
    for school_id, flagged, n in rows:
        kept, queued = by_school.get(school_id, (0, 0))
        by_school[school_id] = (kept + n, queued + (n if flagged else 0))

    def distinct(*where: ColumnElement[bool]) -> int:
        posts = select(Post.platform, Post.external_id).where(*recent, *where).distinct()
        return session.scalar(select(func.count()).select_from(posts.subquery())) or 0

    return Unclaimed(distinct(), distinct(Post.relevant.is_(True)), by_school)
