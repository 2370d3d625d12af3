"""Turning rows into what templates show: highlighted text, people, times. Escapes everything."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, has_app_context
from markupsafe import Markup

from alerts.facts import Span
from alerts.render import PLATFORM_LABELS, highlight
from config.settings import CATEGORIES
from models import Flag, Post
from monitor.web.common import core
from monitor.web.forms import DISMISS_REASONS, SEEN_ON
from monitor.web.undo import LABELS as UNDO_LABELS
from monitor.workflow import ROLES


def highlighted(post: Post, flags: list[Flag] | None = None) -> Markup:
    """The post's text, escaped piece by piece, with each flag's evidence in <mark>."""
    spans = [
        Span(int(e["start"]), int(e["end"]))
        for flag in (post.flags if flags is None else flags)
        for e in flag.evidence
        if 0 <= int(e["start"]) < int(e["end"]) <= len(post.text)
    ]
    return highlight(post.text, spans)


def people(post: Post) -> list[dict[str, Any]]:
    """The roster people a post names, once each."""
    seen: dict[str, dict[str, Any]] = {}
    for mention in post.mentions or []:
        seen.setdefault(str(mention.get("key")), mention)
    return list(seen.values())


def when(value: datetime | None) -> str:
    """A time as the school reads it: in its own time zone (``[alerts] timezone``)."""
    if value is None:
        return "unknown"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    zone = ZoneInfo(core().settings.alerts.timezone) if has_app_context() else UTC
    return value.astimezone(zone).strftime("%d %b %Y %H:%M %Z")


def age(value: datetime | None, now: datetime | None = None) -> str:
    """How old a post is, short, with the calendar in the school's time zone: ``12 min ago``,
    ``3 h ago`` today, ``yesterday 18:02``, ``3 Dec 09:14`` this year, ``3 Dec 2025`` before."""
    if value is None:
        return "unknown"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    zone = ZoneInfo(core().settings.alerts.timezone) if has_app_context() else UTC
    now = (now or datetime.now(UTC)).astimezone(zone)
    local = value.astimezone(zone)
    gone = now - local
    if local.date() == now.date() and gone >= timedelta(0):
        minutes = int(gone.total_seconds() // 60)
        if minutes < 60:
            return f"{minutes} min ago" if minutes else "just now"
        return f"{minutes // 60} h ago"
    if local.date() == now.date() - timedelta(days=1):
        return f"yesterday {local:%H:%M}"
    if local.year == now.year:
        return f"{local.day} {local:%b %H:%M}"
    return f"{local.day} {local:%b %Y}"


# Stored codes as staff read them; any other code written with underscores loses them.
PLAIN = {
    "opened": "case opened",
    "post_added": "post added",
    "status": "status changed",
    "severity": "severity changed",
    "email_queued": "e-mail waiting to be sent",
    "email_sent": "e-mail sent",
    "digest_queued": "added to the daily digest",
    "parent_contacted": "parent contacted",
    "warning_sent": "warning letter sent",
    "takedown_requested": "takedown requested",
    **{code: label.lower() for code, label in DISMISS_REASONS},
}
_UNDERSCORED = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def plain(value: str | None) -> str:
    """A stored state, reason or event in words: ``not_our_school`` reads "not about our school"."""
    text = value or ""
    if text in PLAIN:
        return PLAIN[text]
    return _UNDERSCORED.sub(lambda m: PLAIN.get(m[0], m[0].replace("_", " ")), text)


def platform_label(post: Post) -> str:
    label = PLATFORM_LABELS.get(post.platform, post.platform)
    seen_on = (post.raw or {}).get("seen_on") if post.platform == "manual" else None
    return f"{label} (seen on {seen_on})" if seen_on else label


def safe_url(url: str | None) -> str | None:
    """Only http(s) links become clickable: a javascript: URL in a post must stay text."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["plain"] = plain
    app.jinja_env.filters["age"] = age
    app.jinja_env.globals.update(
        highlighted=highlighted,
        people=people,
        platform_label=platform_label,
        safe_url=safe_url,
        reasons=DISMISS_REASONS,
        categories=CATEGORIES,
        seen_on=SEEN_ON,
        roles=ROLES,
        undo_labels=UNDO_LABELS,
    )
