"""``schoolwatch sources``: each configured source with the outcome of its last cycle."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import Settings, SourceSettings
from connectors.coverage import COVERAGE, calls_a_day
from models import Post, Source

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
COLUMNS = ("name", "type", "last run (UTC)", "outcome", "fetched", "skipped", "stored",
           "quarantined", "failures", "rate left", "error")  # fmt: skip


@dataclass(frozen=True)
class SourceStatus:
    name: str
    type: str
    last_run: datetime | None
    outcome: str | None
    fetched: int
    skipped: int
    stored: int
    quarantined: int
    failures: int
    rate_remaining: int | None
    error: str | None

    def cells(self) -> tuple[str, ...]:
        when = self.last_run.strftime("%Y-%m-%d %H:%M") if self.last_run else "never"
        error = _CONTROL.sub(" ", self.error or "").strip()
        return (self.name, self.type, when, self.outcome or "-", str(self.fetched),
                str(self.skipped), str(self.stored), str(self.quarantined), str(self.failures),
                "-" if self.rate_remaining is None else str(self.rate_remaining),
                error[:200] + ("…" if len(error) > 200 else "") or "-")  # fmt: skip


def source_statuses(session: Session, settings: Settings) -> list[SourceStatus]:
    """One status per configured source, in config order; a source never run shows 'never'."""
    rows = {row.name: row for row in session.scalars(select(Source))}
    counts = (
        select(Post.source_name, func.count(Post.id))
        .where(Post.quarantine.is_not(None))
        .group_by(Post.source_name)
    )
    held: dict[str | None, int] = {name: n for name, n in session.execute(counts).all()}
    statuses = []
    for source in settings.sources:
        row = rows.get(source.name)
        if row is None:
            statuses.append(SourceStatus(source.name, source.type, None, None, 0, 0, 0, 0, 0,
                                         None, None))  # fmt: skip
            continue
        statuses.append(SourceStatus(
            source.name, source.type, row.last_run_at, row.last_outcome, row.last_fetched or 0,
            row.last_skipped or 0, row.posts_total or 0, int(held.get(source.name, 0)),
            row.consecutive_failures or 0,
            row.rate_remaining, row.last_error if row.last_outcome == "error" else None,
        ))  # fmt: skip
    return statuses


def format_table(statuses: list[SourceStatus]) -> str:
    rows = [COLUMNS, *(s.cells() for s in statuses)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _every(seconds: int) -> str:
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def coverage_line(source: SourceSettings, settings: Settings) -> str:
    coverage = COVERAGE.get(source.type)
    if coverage is None:
        return f"{source.name} ({source.type}): no coverage notes for this type"
    least, most = calls_a_day(source, len(settings.school.names))
    calls = f"{least:,}" if least == most else f"{least:,}-{most:,}"
    return (f"{source.name} ({source.type}, every {_every(source.every_seconds)}): watches "
            f"{coverage.watches}; {calls} calls a day (limit: {coverage.limit}); cannot see "
            f"{coverage.blind}")  # fmt: skip


def format_coverage(settings: Settings) -> str:
    """What each configured source watches, calls a day at its schedule, and its blind spots."""
    lines = [coverage_line(source, settings) for source in settings.sources]
    return "\n".join(["coverage (details: docs/connectors.md):", *lines])


def sharing_lines(slug: str, schools: Mapping[str, Settings]) -> list[str]:
    """One line per source of the school ``slug`` that workers fetch in searches shared with
    other schools of the deployment (slug -> settings), saying with how many."""
    if len(schools) < 2:
        return []
    from monitor.sharing import covered, deployment_fetches

    found = covered(deployment_fetches(schools))
    return [
        f"{source.name}: shared, one search for {found[(slug, source.name)]} schools under "
        "`schoolwatch worker` (docs/sharing.md)"
        for source in schools[slug].sources
        if (slug, source.name) in found
    ]
