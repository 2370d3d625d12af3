"""Rendering case e-mails from templates: no side effects, post text always escaped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from alerts.advice import Draft, drafts, next_step

_ENV = Environment(
    loader=PackageLoader("alerts", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
PLATFORM_LABELS = {
    "x": "X (Twitter)",
    "reddit": "Reddit",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "youtube": "YouTube",
    "facebook_page": "Facebook",
    "rss": "a news feed",
    "jsonl": "an imported file",
    "manual": "a manual report",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    replacement: str | None = None  # text to show instead, e.g. a pupil's initials


@dataclass(frozen=True)
class CaseMail:
    """Everything an e-mail about one case shows; texts here are already redacted."""

    school: str
    reference: str
    severity: str
    categories: list[str]
    platform: str
    text: str
    url: str | None
    author: str | None
    created: str | None
    flags: list[dict[str, Any]]
    case_url: str
    highlights: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def apply_spans(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Replace the spans that carry a replacement; return the new text and the shifted spans."""
    out: list[str] = []
    shifted: list[Span] = []
    cursor = delta = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < cursor:
            continue
        out.append(text[cursor : span.start])
        shown = span.replacement if span.replacement is not None else text[span.start : span.end]
        shifted.append(Span(span.start + delta, span.start + delta + len(shown)))
        out.append(shown)
        delta += len(shown) - (span.end - span.start)
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out), shifted


def highlight(text: str, spans: list[Span]) -> Markup:
    """``text`` escaped, with each span wrapped in <mark>."""
    parts: list[str] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < cursor:
            continue
        parts.append(escape(text[cursor : span.start]))
        parts.append(Markup("<mark>%s</mark>") % text[span.start : span.end])
        cursor = span.end
    parts.append(escape(text[cursor:]))
    return Markup("").join(parts)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def render_case_email(mail: CaseMail) -> RenderedEmail:
    post = {
        "platform_label": PLATFORM_LABELS.get(mail.platform, mail.platform),
        "text": mail.text,
        "url": mail.url,
        "author": mail.author,
        "created": mail.created,
        "highlighted": highlight(mail.text, mail.highlights),
    }
    context: dict[str, Any] = {
        "school": mail.school,
        "case": {
            "reference": mail.reference,
            "severity": mail.severity,
            "categories": mail.categories,
        },
        "post": post,
        "flags": mail.flags,
        "next_step": next_step(mail.categories),
        "drafts": [
            _draft_dict(d) for d in drafts(mail.platform, mail.categories, mail.url, mail.reference)
        ],
        "case_url": mail.case_url,
    }
    subject = _one_line(_ENV.get_template("case-subject.txt").render(context))
    text = _ENV.get_template("case-body.txt").render(context)
    html = _ENV.get_template("case-body.html").render(context)
    return RenderedEmail(subject=subject, text=text, html=html)


def _draft_dict(draft: Draft) -> dict[str, str]:
    return {"route": draft.route, "title": draft.title, "body": draft.body}
