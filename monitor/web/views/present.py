"""Turning rows into what templates show: highlighted text, people, times. Escapes everything."""

from __future__ import annotations

from datetime import UTC, datetime
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
    app.jinja_env.globals.update(
        highlighted=highlighted,
        people=people,
        platform_label=platform_label,
        safe_url=safe_url,
        reasons=DISMISS_REASONS,
        categories=CATEGORIES,
        seen_on=SEEN_ON,
        roles=ROLES,
    )
