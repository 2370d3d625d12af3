"""The ``facebook_page`` source: posts and comments on the school's own Facebook Page.

Graph API over HTTP with a Page access token: the policy's "comments made on a school website or
online forum". Groups and personal profiles have no API for this. The cursor holds the newest
creation time seen; the Page's recent posts are re-read each cycle for new comments, which come
nested in the same feed request (``comments.order(reverse_chronological).limit(n){...}``); a
post's further comments are fetched only when all ``n`` are new. When Meta reports a call budget
(``X-Business-Use-Case-Usage``, ``X-Page-Usage``, ``X-App-Usage``) at ``BACK_OFF_AT`` percent or
more, the cycle makes no further calls and asks the scheduler to pause the source.
"""

from __future__ import annotations

import json
import logging
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

log = logging.getLogger(__name__)
GRAPH = "https://graph.facebook.com"
# The current Graph API version (released 2026-07-29; see the Graph API changelog).
API_VERSION = "v26.0"
_KEYS = ("page_id", "api_version", "comments", "max_pages", "posts_per_cycle", "comments_per_post")
_FIELDS = "id,message,created_time,permalink_url,from"
_THROTTLED = {4, 17, 32, 613, 80001}
_USAGE_KEYS = ("call_count", "total_cputime", "total_time")
BACK_OFF_AT = 90  # percent of a reported call budget used
BACK_OFF_FOR = 3600.0  # seconds: Meta's budgets are rolling windows of an hour or more


def usage_used(headers: Any) -> int | None:
    """The highest percentage used of any call budget Meta reports: X-Business-Use-Case-Usage
    (per business object, a list of entries), X-Page-Usage and X-App-Usage (one object)."""
    found: list[float] = []
    for name in ("x-business-use-case-usage", "x-page-usage", "x-app-usage"):
        try:
            usage = json.loads(headers.get(name) or "{}")
        except ValueError:
            continue
        if not isinstance(usage, dict):
            continue
        entries = [usage] if name != "x-business-use-case-usage" else [
            entry for value in usage.values() if isinstance(value, list) for entry in value
        ]  # fmt: skip
        for entry in entries:
            if isinstance(entry, dict):
                found.extend(float(entry[k]) for k in _USAGE_KEYS
                             if isinstance(entry.get(k), int | float))  # fmt: skip
    return int(max(found)) if found else None


def usage_left(headers: Any) -> int | None:
    """Percent of the tightest call budget left."""
    used = usage_used(headers)
    return None if used is None else max(0, 100 - used)


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
    if isinstance(item, dict) and "comments" in item:
        item = {k: v for k, v in item.items() if k != "comments"}  # stored with each comment
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
    api_version: str = API_VERSION
    comments: bool = True
    max_pages: int = 2
    posts_per_cycle: int = 25
    comments_per_post: int = 25
    sleep: Callable[[float], None] = time.sleep
    rate_remaining: int | None = None
    pause: float | None = None  # set when a call budget is nearly spent

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
            api_version=str_option(source, "api_version", API_VERSION) or API_VERSION,
            comments=bool_option(source, "comments", True),
            max_pages=int_option(source, "max_pages", 2, 1, 20),
            posts_per_cycle=int_option(source, "posts_per_cycle", 25, 1, 100),
            comments_per_post=int_option(source, "comments_per_post", 25, 1, 100),
        )

    def fetch(self, cursor: str | None) -> Batch:
        state = load_cursor(cursor)
        since = state.get("since") if isinstance(state.get("since"), str) else None
        session = TimeoutSession()
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        fields = _FIELDS
        if self.comments:
            fields += (f",comments.order(reverse_chronological).limit({self.comments_per_post})"
                       f"{{{_FIELDS}}}")  # fmt: skip
        feed = self._read(session, f"{self.page_id}/feed", "feed", skipped,
                          {"fields": fields, "limit": self.posts_per_cycle},
                          self.posts_per_cycle)  # fmt: skip
        for post, nested in feed:
            posts.append(post)
            if not self.comments:
                continue
            comments = self._comments(nested, post.external_id, skipped)
            oldest = min((c.created_at for c in comments if c.created_at), default=None)
            after = as_dict(as_dict(nested).get("paging")).get("next")
            if after and oldest and (since is None or oldest.isoformat() > since):
                # Every comment in the nested page is new: read on through the edge.
                more = self._read(session, f"{post.external_id}/comments", "comments", skipped,
                                  {"fields": _FIELDS, "order": "reverse_chronological",
                                   "limit": 100, "after": self._after(nested)})  # fmt: skip
                comments.extend(p for p, _ in more)
            posts.extend(comments)
        stamps = [p.created_at.isoformat() for p in posts if p.created_at]
        newest = max([since or "", *stamps]) or None
        fresh = [p for p in posts if since is None or
                 (p.created_at is not None and p.created_at.isoformat() > since)]  # fmt: skip
        if newest:
            state["since"] = newest
        return Batch(fresh, dump_cursor(state), skipped, self.rate_remaining, self.pause)

    @staticmethod
    def _after(nested: Any) -> str | None:
        cursors = as_dict(as_dict(as_dict(nested).get("paging")).get("cursors"))
        after = cursors.get("after")
        return after if isinstance(after, str) else None

    @staticmethod
    def _comments(nested: Any, post_id: str, skipped: list[Skipped]) -> list[FetchedPost]:
        data = as_dict(nested).get("data")
        found: list[FetchedPost] = []
        for index, item in enumerate(data if isinstance(data, list) else []):
            try:
                found.append(_post(item))
            except ValueError as exc:
                if isinstance(item, dict) and item.get("id") and "message" not in item:
                    continue  # a sticker or photo without text
                skipped.append(Skipped(f"facebook comments of {post_id} item {index + 1}",
                                       str(exc)))  # fmt: skip
        return found

    def _read(
        self, session: TimeoutSession, edge: str, what: str, skipped: list[Skipped],
        params: dict[str, Any], enough: int | None = None,
    ) -> list[tuple[FetchedPost, Any]]:  # fmt: skip
        """Items of an edge with what came nested in each, page after page until ``enough``,
        ``max_pages``, the last page, or a call budget nearly spent."""
        url: str | None = f"{GRAPH}/{self.api_version}/{edge}"
        params = {**params, "access_token": self.token}
        found: list[tuple[FetchedPost, Any]] = []
        for page in range(1, self.max_pages + 1):
            if url is None or self.pause is not None or (enough and len(found) >= enough):
                break
            body = with_retries(partial(self._get, session, url, params), self.sleep)
            data = body.get("data")
            for index, item in enumerate(data if isinstance(data, list) else []):
                try:
                    found.append((_post(item), item.get("comments")))
                except ValueError as exc:
                    if isinstance(item, dict) and item.get("id") and "message" not in item:
                        continue  # a photo or share without text: nothing to read
                    skipped.append(Skipped(f"facebook {what} page {page} item {index + 1}",
                                           str(exc)))  # fmt: skip
            paging = as_dict(body.get("paging"))
            url = paging.get("next") if isinstance(paging.get("next"), str) else None
            params = {}  # the next link carries every parameter
        return found[:enough] if enough else found

    def _get(self, session: TimeoutSession, url: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            body, response = get_json(session, "Facebook", url, params)
        except HttpFailure as failure:
            raise _translate(failure) from None
        used = usage_used(response.headers)
        if used is not None:
            self.rate_remaining = max(0, 100 - used)
            if used >= BACK_OFF_AT and self.pause is None:
                self.pause = max(BACK_OFF_FOR, regain_after(response.headers) or 0.0)
                log.warning("facebook: %d%% of a call budget used; no more calls this cycle, "
                            "next cycle in %.0f minutes", used, self.pause / 60)  # fmt: skip
        return body
