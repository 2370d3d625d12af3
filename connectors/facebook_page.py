"""The ``facebook_page`` source: posts and comments on the school's own Facebook Page.

Graph API over HTTP with a Page access token: the policy's "comments made on a school website or
online forum". Groups and personal profiles have no API for this. The cursor holds the newest
creation time seen; the Page's recent posts are re-read each cycle for new comments.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from config import ConfigError, Settings, SourceSettings
from config.env import require_secret
from connectors.base import Batch, FetchedPost, Skipped, SourceError
from connectors.common import (
    HttpFailure,
    TimeoutSession,
    as_dict,
    bool_option,
    check_options,
    dump_cursor,
    get_json,
    int_option,
    load_cursor,
    parse_time,
    status_error,
    str_option,
    with_retries,
)

GRAPH = "https://graph.facebook.com"
_KEYS = ("page_id", "api_version", "comments", "max_pages", "posts_per_cycle")
_FIELDS = "id,message,created_time,permalink_url,from"
_THROTTLED = {4, 17, 32, 613, 80001}


def usage_left(headers: Any) -> int | None:
    """Percent of the call budget left, from X-Page-Usage / X-App-Usage (percent used)."""
    for name in ("x-page-usage", "x-app-usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
            used = max(float(v) for v in usage.values() if isinstance(v, int | float))
        except (ValueError, AttributeError):
            continue
        return max(0, 100 - int(used))
    return None


def regain_after(headers: Any) -> float | None:
    """Seconds until access returns, from X-Business-Use-Case-Usage (given in minutes)."""
    try:
        usage = json.loads(headers.get("x-business-use-case-usage") or "{}")
        minutes = [
            float(entry["estimated_time_to_regain_access"])
            for entries in usage.values()
            for entry in entries
            if "estimated_time_to_regain_access" in entry
        ]
    except (ValueError, TypeError, AttributeError, KeyError):
        return None
    return max(minutes) * 60 if minutes else None


def _translate(failure: HttpFailure) -> SourceError:
    error = as_dict(failure.body.get("error"))
    code, message = error.get("code"), str(error.get("message") or "")
    if code in _THROTTLED:
        wait = regain_after(failure.response.headers)
        return SourceError(f"Facebook rate limit reached (code {code})", retry_after=wait or 300.0)
    if code == 190:
        return SourceError(
            "Facebook refused FACEBOOK_PAGE_TOKEN (expired or revoked); make a new Page token",
            permanent=True,
        )
    if code in (10, 200) or (isinstance(code, int) and 200 <= code < 300):
        return SourceError(f"Facebook permission missing: {message}", permanent=True)
    if code in (1, 2):
        return SourceError(f"Facebook temporary error: {message}")
    return status_error("Facebook", failure.response, message)


def _post(item: Any) -> FetchedPost:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise ValueError('"id" is missing')
    message = item.get("message")
    if not isinstance(message, str):
        raise ValueError('"message" is missing')
    author = item.get("from")
    return FetchedPost(
        platform="facebook",
        external_id=item["id"],
        text=message,
        author=author.get("name") if isinstance(author, dict) else None,
        url=item.get("permalink_url") if isinstance(item.get("permalink_url"), str) else None,
        created_at=parse_time(item.get("created_time")),
        raw=item,
    )


@dataclass
class FacebookPageConnector:
    """Raises SourceError: throttling and 5xx temporary, an expired token (190) permanent."""

    page_id: str
    token: str = field(repr=False)
    api_version: str = "v19.0"
    comments: bool = True
    max_pages: int = 2
    posts_per_cycle: int = 25
    sleep: Callable[[float], None] = time.sleep
    rate_remaining: int | None = None

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> FacebookPageConnector:
        check_options(source, _KEYS)
        page_id = str_option(source, "page_id")
        if not page_id:
            raise ConfigError(f'source {source.name!r}: type facebook_page needs page_id = "..."')
        return cls(
            page_id=page_id,
            token=require_secret(
                "FACEBOOK_PAGE_TOKEN", settings.environ, f"source {source.name!r}"
            ),  # fmt: skip
            api_version=str_option(source, "api_version", "v19.0") or "v19.0",
            comments=bool_option(source, "comments", True),
            max_pages=int_option(source, "max_pages", 2, 1, 20),
            posts_per_cycle=int_option(source, "posts_per_cycle", 25, 1, 100),
        )

    def fetch(self, cursor: str | None) -> Batch:
        state = load_cursor(cursor)
        since = state.get("since") if isinstance(state.get("since"), str) else None
        session = TimeoutSession()
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        newest = since
        feed = self._read(session, f"{self.page_id}/feed", "feed", skipped)
        for post in feed[: self.posts_per_cycle]:
            stamp = post.created_at.isoformat() if post.created_at else ""
            if since is None or stamp > since:
                posts.append(post)
            newest = stamp if newest is None or stamp > newest else newest
            if not self.comments:
                continue
            for comment in self._read(session, f"{post.external_id}/comments", "comments",
                                      skipped):  # fmt: skip
                stamp = comment.created_at.isoformat() if comment.created_at else ""
                if since is None or stamp > since:
                    posts.append(comment)
                newest = stamp if newest is None or stamp > newest else newest
        if newest:
            state["since"] = newest
        return Batch(posts, dump_cursor(state), skipped, self.rate_remaining)

    def _read(
        self, session: TimeoutSession, edge: str, what: str, skipped: list[Skipped]
    ) -> list[FetchedPost]:
        url: str | None = f"{GRAPH}/{self.api_version}/{edge}"
        params: dict[str, Any] = {"fields": _FIELDS, "limit": 25, "access_token": self.token}
        if what == "comments":
            params.update(filter="stream", order="reverse_chronological")
        found: list[FetchedPost] = []
        for page in range(1, self.max_pages + 1):
            if url is None:
                break
            body = with_retries(partial(self._get, session, url, params), self.sleep)
            data = body.get("data")
            for index, item in enumerate(data if isinstance(data, list) else []):
                try:
                    found.append(_post(item))
                except ValueError as exc:
                    if isinstance(item, dict) and item.get("id") and "message" not in item:
                        continue  # a photo or share without text: nothing to read
                    skipped.append(Skipped(f"facebook {what} page {page} item {index + 1}",
                                           str(exc)))  # fmt: skip
            paging = as_dict(body.get("paging"))
            url = paging.get("next") if isinstance(paging.get("next"), str) else None
            params = {}  # the next link carries every parameter
        return found

    def _get(self, session: TimeoutSession, url: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            body, response = get_json(session, "Facebook", url, params)
        except HttpFailure as failure:
            raise _translate(failure) from None
        left = usage_left(response.headers)
        if left is not None:
            self.rate_remaining = left
        return body
