"""The ``rss`` source: local news and alert feeds (RSS or Atom), read with feedparser.

Fetched with requests (conditional GET: ETag and Last-Modified), parsed by feedparser. Entries
are kept when they name the school unless ``match_names = false``. Paged feeds (RFC 5005
``rel="next"``) are followed up to ``max_pages``.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

import feedparser
import requests

from config import ConfigError, Settings, SourceSettings
from connectors.base import Batch, FetchedPost, Skipped, SourceError
from connectors.common import (
    TimeoutSession,
    bool_option,
    check_options,
    dump_cursor,
    html_to_text,
    int_option,
    load_cursor,
    mentions,
    network_error,
    status_error,
    str_option,
    with_retries,
)

_KEYS = ("url", "match_names", "max_pages", "platform")


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if not k.endswith("_parsed")}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _post(entry: Any, platform: str) -> FetchedPost:
    link = entry.get("link")
    entry_id = entry.get("id") or link
    if not isinstance(entry_id, str) or not entry_id:
        raise ValueError("the entry has neither an id nor a link")
    title = entry.get("title") or ""
    summary = html_to_text(entry.get("summary") or "")
    if not title and not summary:
        raise ValueError("the entry has neither a title nor a summary")
    text = f"{title}\n\n{summary}" if title and summary else title or summary
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return FetchedPost(
        platform=platform,
        external_id=entry_id,
        text=text,
        author=entry.get("author") or None,
        url=link if isinstance(link, str) else None,
        created_at=datetime.fromtimestamp(calendar.timegm(parsed), UTC) if parsed else None,
        raw=_plain(dict(entry)),
    )


@dataclass
class RssConnector:
    """Raises SourceError: 429, 5xx and timeouts temporary; 4xx and non-feeds permanent."""

    url: str
    names: tuple[str, ...]
    match_names: bool = True
    max_pages: int = 3
    platform: str = "rss"
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> RssConnector:
        check_options(source, _KEYS)
        url = str_option(source, "url")
        if not url or not url.startswith(("https://", "http://")):
            raise ConfigError(f'source {source.name!r}: type rss needs url = "https://..."')
        return cls(
            url=url,
            names=settings.school.names,
            match_names=bool_option(source, "match_names", True),
            max_pages=int_option(source, "max_pages", 3, 1, 20),
            platform=str_option(source, "platform", "rss") or "rss",
        )

    def fetch(self, cursor: str | None) -> Batch:
        state = load_cursor(cursor)
        session = TimeoutSession()
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        url: str | None = self.url
        for page in range(1, self.max_pages + 1):
            if url is None:
                break
            headers = {}
            if page == 1 and isinstance(state.get("etag"), str):
                headers["If-None-Match"] = state["etag"]
            if page == 1 and isinstance(state.get("modified"), str):
                headers["If-Modified-Since"] = state["modified"]
            response = with_retries(partial(self._get, session, url, headers), self.sleep)
            if response.status_code == 304:
                break
            if page == 1:
                state = {k: v for k, v in (("etag", response.headers.get("ETag")),
                         ("modified", response.headers.get("Last-Modified"))) if v}  # fmt: skip
            feed = feedparser.parse(response.content, response_headers=dict(response.headers))
            if not feed.get("version") and not feed.entries:
                raise SourceError(f"{url} is not an RSS or Atom feed", permanent=True)
            for index, entry in enumerate(feed.entries):
                try:
                    post = _post(entry, self.platform)
                except (ValueError, TypeError) as exc:
                    skipped.append(Skipped(f"rss page {page} entry {index + 1}", str(exc)))
                    continue
                if not self.match_names or mentions(post.text, self.names):
                    posts.append(post)
            url = next(
                (link.get("href") for link in feed.feed.get("links", [])
                 if link.get("rel") == "next"), None,
            )  # fmt: skip
        return Batch(posts, dump_cursor(state), skipped)

    @staticmethod
    def _get(session: TimeoutSession, url: str, headers: dict[str, str]) -> requests.Response:
        try:
            response = session.get(url, headers=headers)
        except requests.RequestException as exc:
            raise network_error("the feed", exc) from None
        if response.status_code != 304 and not response.ok:
            raise status_error("the feed", response)
        return response
