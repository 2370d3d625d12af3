"""What the platforms' APIs cost the deployment: usage recorded per school, platform and day, its
estimated cost, and the table ``schoolwatch sources --usage`` prints.

Prices come from ``SCHOOLWATCH_API_COSTS`` (``x.post=0.005,reddit.call=0.0002``: US dollars per
call or per post read). The one default is X's published pay-per-use price for a post read,
$0.005 (docs.x.com, "X API pay-per-usage pricing"); every other price defaults to 0, since no
other platform here publishes one for this use. X also bills each user object a search expands
($0.010), which this estimate leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from config import ConfigError
from models import ApiUsage

DEFAULT_PRICES: dict[tuple[str, str], float] = {("x", "post"): 0.005}
_PLATFORMS = ("x", "reddit", "bluesky", "mastodon", "youtube", "facebook_page", "rss", "jsonl",
              "imap")  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class ApiCosts:
    """US dollars per call and per post read, by platform."""

    prices: Mapping[tuple[str, str], float] = field(default_factory=lambda: dict(DEFAULT_PRICES))

    def cost(self, platform: str, calls: float, posts_read: float) -> float:
        return calls * self.prices.get((platform, "call"), 0.0) + posts_read * self.prices.get(
            (platform, "post"), 0.0
        )

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ApiCosts:
        text = environ.get("SCHOOLWATCH_API_COSTS", "").strip()
        prices = dict(DEFAULT_PRICES)
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, _, value = item.partition("=")
            platform, _, unit = key.strip().partition(".")
            try:
                price = float(value)
            except ValueError:
                price = -1.0
            if platform not in _PLATFORMS or unit not in ("call", "post") or not price >= 0:
                raise ConfigError(
                    f"SCHOOLWATCH_API_COSTS: {item!r} is not PLATFORM.call=PRICE or "
                    "PLATFORM.post=PRICE (US dollars, 0 or more), e.g. x.post=0.005"
                )
            prices[(platform, unit)] = price
        return cls(prices)


def record_usage(
    session: Session,
    platform: str,
    schools: Sequence[str],
    calls: int,
    posts_read: int,
    costs: ApiCosts,
    *,
    shared: bool = False,
    day: date | None = None,
) -> None:
    """Add one fetch's usage, split equally between ``schools`` (one school unless shared)."""
    members = list(dict.fromkeys(schools))
    if not members:
        return
    day = day or datetime.now(UTC).date()
    share = 1.0 / len(members)
    cost = costs.cost(platform, calls, posts_read) * share
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for school in members:
        values = {"day": day, "platform": platform, "school": school, "shared": shared,
                  "calls": calls * share, "posts_read": posts_read * share,
                  "cost": cost}  # fmt: skip
        statement = insert(ApiUsage).values(**values)
        session.execute(statement.on_conflict_do_update(
            index_elements=["day", "platform", "school", "shared"],
            set_={"calls": ApiUsage.calls + statement.excluded.calls,
                  "posts_read": ApiUsage.posts_read + statement.excluded.posts_read,
                  "cost": ApiUsage.cost + statement.excluded.cost},
        ))  # fmt: skip


@dataclass(frozen=True)
class UsageRow:
    day: date
    school: str
    platform: str
    calls: float
    shared_calls: float
    posts_read: float
    cost: float


def usage_rows(session: Session, days: int, today: date | None = None) -> list[UsageRow]:
    """Each school's usage per platform and day over the last ``days`` days, newest day first."""
    today = today or datetime.now(UTC).date()
    since = today - timedelta(days=days - 1)
    shared_calls = func.sum(case((ApiUsage.shared, ApiUsage.calls), else_=0.0))
    query = (
        select(ApiUsage.day, ApiUsage.school, ApiUsage.platform, func.sum(ApiUsage.calls),
               shared_calls, func.sum(ApiUsage.posts_read), func.sum(ApiUsage.cost))
        .where(ApiUsage.day >= since, ApiUsage.day <= today)
        .group_by(ApiUsage.day, ApiUsage.school, ApiUsage.platform)
        .order_by(ApiUsage.day.desc(), ApiUsage.school, ApiUsage.platform)
    )  # fmt: skip
    return [UsageRow(d, s, p, float(c), float(sc), float(r), float(k))
            for d, s, p, c, sc, r, k in session.execute(query).all()]  # fmt: skip


USAGE_COLUMNS = ("day (UTC)", "school", "platform", "calls", "of them shared", "posts read",
                 "est. cost (USD)")  # fmt: skip


def format_usage(rows: list[UsageRow], days: int) -> str:
    if not rows:
        return f"usage: no API calls recorded in the last {days} day(s)"
    cells = [USAGE_COLUMNS] + [
        (r.day.isoformat(), _CONTROL.sub(" ", r.school)[:60], r.platform, f"{r.calls:,.1f}",
         f"{r.shared_calls:,.1f}", f"{r.posts_read:,.1f}", f"{r.cost:,.4f}")
        for r in rows
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in cells) for i in range(len(USAGE_COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]  # fmt: skip
    total = sum(r.cost for r in rows)
    return "\n".join([f"usage, calls and cost per school per day (last {days} day(s)):", *lines,
                      f"total estimated cost: {total:,.4f} USD"])  # fmt: skip
