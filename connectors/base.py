"""What every connector returns and raises: plain dataclasses, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from config import Settings, SourceSettings


@dataclass(frozen=True)
class Attachment:
    """An image kept as evidence with the post (a screenshot), and the text OCR read in it."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)
    sha256: str
    ocr_text: str = ""


@dataclass(frozen=True)
class FetchedPost:
    """One public post as the platform gave it; ``text`` is never altered."""

    platform: str
    external_id: str
    text: str
    author: str | None = None
    url: str | None = None
    created_at: datetime | None = None
    raw: dict[str, Any] | None = None
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An item that could not be read: where it was and why."""

    where: str
    reason: str


@dataclass(frozen=True)
class Batch:
    posts: list[FetchedPost]
    cursor: str | None
    skipped: list[Skipped] = field(default_factory=list)
    rate_remaining: int | None = None
    # Seconds the platform asks us to rest (a call budget nearly spent): the next cycle of this
    # source starts no sooner.
    pause: float | None = None


class SourceError(Exception):
    """A fetch failed. ``permanent`` means retrying will not help until someone fixes something."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Connector(Protocol):
    """A source of posts: ``from_settings`` raises ConfigError, ``fetch`` raises SourceError."""

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> Connector: ...

    def fetch(self, cursor: str | None) -> Batch: ...
