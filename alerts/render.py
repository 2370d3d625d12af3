"""Rendering e-mails from templates: no side effects, post text always escaped.

Two kinds, three templates each: ``case`` (one case, e-mailed at once: urgent ones and any
severity routed as immediate) and ``digest`` (the day's other cases together).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from alerts.advice import drafts, next_step, urgent_categories
from alerts.facts import CaseFacts, Draft, FlagFacts, PostFacts, Span

ENV = Environment(
    loader=PackageLoader("alerts", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
)
_ENV = ENV


def link(url: str | None) -> str | None:
    """``url`` if it is safe to put in an href (http or https), else None: post data is hostile."""
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None


ENV.filters["link"] = link
PLATFORM_LABELS = {
    "x": "X (Twitter)",
    "reddit": "Reddit",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "youtube": "YouTube",
    "facebook_page": "Facebook",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "snapchat": "Snapchat",
    "rss": "a news feed",
    "jsonl": "an imported file",
    "manual": "a manual report",
}


@dataclass(frozen=True)
class CaseMail:
    """Everything an e-mail about one single-post case shows; texts here are already redacted."""

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


@dataclass(frozen=True)
class DigestEntry:
    case: CaseFacts
    drafts: list[Draft]
    update: bool = False  # the case was e-mailed before; new posts have joined it since


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


def _when(value: datetime | None, zone: str = "UTC") -> str | None:
    """A time in the school's zone ("20 Nov 2026 10:00 GMT")."""
    return value.astimezone(ZoneInfo(zone)).strftime("%d %b %Y %H:%M %Z") if value else None


def _flag_view(flag: FlagFacts) -> dict[str, Any]:
    return {"category": flag.category, "severity": flag.severity, "score": flag.score,
            "reason": flag.reason}  # fmt: skip


def _post_view(post: PostFacts) -> dict[str, Any]:
    return {
        "platform_label": PLATFORM_LABELS.get(post.platform, post.platform),
        "text": post.text,
        "url": post.url,
        "author": post.author,
        "created": _when(post.created_at, post.timezone),
        "highlighted": highlight(post.text, list(post.highlights)),
        "flags": [_flag_view(f) for f in post.flags],
    }


def _draft_view(draft: Draft, zone: str = "UTC") -> dict[str, Any]:
    return {
        "route": draft.route,
        "title": draft.title,
        "body": draft.body,
        "to": draft.to,
        "clock": [
            {"label": s.label, "what": s.what, "due": _when(s.due, zone)} for s in draft.clock
        ],
    }


def case_view(case: CaseFacts, drafts: list[Draft]) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "severity": case.severity,
        "categories": list(case.categories),
        "url": case.case_url,
        "next_step": next_step(
            list(case.categories),
            urgent_categories((f.category, f.severity) for p in case.posts for f in p.flags),
        ),
        "posts": [_post_view(p) for p in case.posts],
        "platforms": sorted({PLATFORM_LABELS.get(p.platform, p.platform) for p in case.posts}),
        "drafts": [_draft_view(d, case.timezone) for d in drafts],
        "redacted": case.names_redacted,
        "is_update": False,
        "brief": False,
    }


def _render(kind: str, context: dict[str, Any]) -> RenderedEmail:
    subject = _one_line(ENV.get_template(f"{kind}-subject.txt").render(context))
    text = ENV.get_template(f"{kind}-body.txt").render(context)
    html = ENV.get_template(f"{kind}-body.html").render(context)
    return RenderedEmail(subject=subject, text=text, html=html)


def render_case(case: CaseFacts, drafts: list[Draft]) -> RenderedEmail:
    """The e-mail about one case: every post, why, the next step, the drafts, the link."""
    return _render("case", {"school": case.school, "case": case_view(case, drafts)})


# Mail apps clip long messages (Gmail at about 100 kB): beyond this many cases, the digest shows
# each further case without its drafts, which stay one tap away on the case page.
DIGEST_FULL_CASES = 10


def render_digest(
    school: str, day: str, entries: list[DigestEntry], base_url: str
) -> RenderedEmail:
    """The day's digest: a list of cases first, then each case (in full for the first ten)."""
    cases = [
        case_view(e.case, e.drafts if n < DIGEST_FULL_CASES else [])
        | {"is_update": e.update, "brief": n >= DIGEST_FULL_CASES}
        for n, e in enumerate(entries)
    ]
    counts: dict[str, int] = {}
    for case in cases:
        counts[case["severity"]] = counts.get(case["severity"], 0) + 1
    context = {"school": school, "day": day, "cases": cases, "base_url": base_url,
               "counts": counts}  # fmt: skip
    return _render("digest", context)


def render_case_email(mail: CaseMail) -> RenderedEmail:
    """The foundation's single-post form, kept for callers that have no CaseFacts."""
    post = PostFacts(
        platform=mail.platform, external_id="", text=mail.text, url=mail.url, author=mail.author,
        flags=tuple(FlagFacts(f["category"], f["severity"], f["score"], f["reason"])
                    for f in mail.flags),
        highlights=tuple(mail.highlights),
    )  # fmt: skip
    case = CaseFacts(
        school=mail.school, reference=mail.reference, severity=mail.severity,
        categories=tuple(mail.categories), posts=(post,), case_url=mail.case_url,
    )  # fmt: skip
    view = case_view(case, drafts(mail.platform, mail.categories, mail.url, mail.reference))
    view["posts"][0]["created"] = mail.created
    return _render("case", {"school": mail.school, "case": view})
