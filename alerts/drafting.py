"""Shared pieces of the drafts: clocks, placeholders, and how posts are cited."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from alerts.facts import CaseFacts, ClockStep, PostFacts
from alerts.platforms import platform_key

HARMFUL = frozenset(
    {"pupil", "allegation", "bullying", "offensive", "racist", "threat", "selfharm"}
)
POLICE = frozenset({"threat", "racist", "bullying"})
H48 = timedelta(hours=48)
D7 = timedelta(days=7)
NOW = timedelta(0)
FILL = "[FILL IN: {}]"


def clock(reported_at: datetime | None, *steps: tuple[timedelta, str]) -> tuple[ClockStep, ...]:
    return tuple(
        ClockStep(after, what, reported_at + after if reported_at else None)
        for after, what in steps
    )


def where(post: PostFacts) -> str:
    return post.url or FILL.format("the post's address (its link)")


def cited(posts: list[PostFacts]) -> list[str]:
    seen: list[str] = []
    for post in posts:
        for flag in post.flags:
            for quote in flag.quotes:
                if quote and quote not in seen:
                    seen.append(quote)
    return seen


def posted(post: PostFacts) -> str:
    by = f" by {post.author}" if post.author else ""
    local = post.created_at.astimezone(ZoneInfo(post.timezone)) if post.created_at else None
    when = f" on {local:%d %B %Y at %H:%M %Z}" if local else ""
    return f"{where(post)}{by}{when}"


def by_platform(case: CaseFacts) -> dict[str, list[PostFacts]]:
    groups: dict[str, list[PostFacts]] = {}
    for post in case.posts:
        groups.setdefault(platform_key(post.platform, post.url), []).append(post)
    return groups


def harmful_categories(case: CaseFacts, posts: list[PostFacts]) -> list[str]:
    found = {f.category for p in posts for f in p.flags} or set(case.categories)
    return [c for c in case.categories if c in found and c in HARMFUL]


def police_categories(case: CaseFacts) -> set[str]:
    """The case's categories that are a matter for the police: harassment, and threats or racism
    raised on words a person can see (a model score alone is not)."""
    flags = [f for p in case.posts for f in p.flags]
    if not flags:
        return set(case.categories) & POLICE
    found = {
        f.category
        for f in flags
        if f.category == "bullying" or (f.category in POLICE and f.severity in ("urgent", ""))
    }
    return found & set(case.categories)
