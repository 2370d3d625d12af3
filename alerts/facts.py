"""What drafts, letters, e-mails and evidence packs are made from: plain facts about one case.

The monitor builds these from the database (``monitor.casefile``); everything in ``alerts`` that
takes them is pure. Texts are shown as given: the caller decides whether pupils' names are redacted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    replacement: str | None = None  # text to show instead, e.g. a pupil's initials


@dataclass(frozen=True)
class FlagFacts:
    category: str
    severity: str
    score: float
    reason: str
    quotes: tuple[str, ...] = ()  # the evidence, as shown
    stage: str = ""


@dataclass(frozen=True)
class ImageFacts:
    """A screenshot submitted with the post (never one fetched from a platform)."""

    filename: str
    content_type: str
    sha256: str
    data: bytes = field(repr=False)
    ocr_text: str = ""


@dataclass(frozen=True)
class PostFacts:
    platform: str
    external_id: str
    text: str
    author: str | None = None
    url: str | None = None
    created_at: datetime | None = None
    fetched_at: datetime | None = None
    raw: dict[str, Any] | None = None
    content_sha256: str = ""
    flags: tuple[FlagFacts, ...] = ()
    highlights: tuple[Span, ...] = ()
    media_urls: tuple[str, ...] = ()
    timezone: str = "UTC"  # the school's: times are shown as it reads them
    images: tuple[ImageFacts, ...] = ()


@dataclass(frozen=True)
class EventFacts:
    at: datetime
    actor: str
    action: str
    detail: str = ""


@dataclass(frozen=True)
class LetterFacts:
    """A letter or draft as it was sent, kept in the case file."""

    kind: str
    title: str
    body: str
    actor: str
    sent_at: datetime


@dataclass(frozen=True)
class CaseFacts:
    school: str
    reference: str
    severity: str
    categories: tuple[str, ...]
    posts: tuple[PostFacts, ...]
    status: str = "new"
    created_at: datetime | None = None
    case_url: str = ""
    staff_named: tuple[str, ...] = ()  # display names, e.g. "Mr Okafor"
    pupils_named: tuple[str, ...] = ()  # as shown: initials unless the school opts in
    signed_by: str = "The Headteacher"
    contact_email: str = ""
    complaints_procedure: str = "the school's complaints procedure"
    events: tuple[EventFacts, ...] = ()
    timezone: str = "UTC"
    names_redacted: bool = True
    assignee: str = ""
    platform_reference: str = ""
    police_reference: str = ""
    outcome: str = ""  # in words, e.g. "resolved with the parent"
    letters_sent: tuple[LetterFacts, ...] = ()

    @property
    def first_post(self) -> PostFacts | None:
        return self.posts[0] if self.posts else None


@dataclass(frozen=True)
class ClockStep:
    """One point on a route's clock: ``after`` the report was made, do ``what``."""

    after: timedelta
    what: str
    due: datetime | None = None

    @property
    def label(self) -> str:
        if self.after == timedelta(0):
            return "now"
        hours = int(self.after.total_seconds() // 3600)
        return f"+{hours} h" if hours < 72 else f"+{hours // 24} days"


@dataclass(frozen=True)
class Draft:
    """One pre-filled route: where to send it, and the words, which the Headteacher may edit."""

    route: str
    title: str
    body: str
    to: str = ""
    clock: tuple[ClockStep, ...] = field(default=())
