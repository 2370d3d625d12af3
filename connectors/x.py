"""The ``x`` source: X API v2 recent search (the last 7 days) through tweepy.

The cursor is the newest post id seen (``since_id``). Every post read is billed by X, so a
cycle reads at most ``max_pages`` pages. When the plan's usage cap is spent (a 429 titled
``UsageCapExceeded``) the source stops until the cap's period ends: the operator is told once and
this process sends X nothing more until then.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import requests
import tweepy

from config import ConfigError, Settings, SourceSettings
from config.env import require_secret
from connectors.base import Batch, FetchedPost, Skipped, SourceError
from connectors.common import (
    TimeoutSession,
    as_dict,
    check_options,
    int_option,
    network_error,
    parse_time,
    quoted_or,
    remaining_from_headers,
    str_option,
    wait_from_headers,
    with_retries,
)

log = logging.getLogger(__name__)
_KEYS = ("query", "max_pages", "max_results", "cap_reset_day")
_TWITTER_EPOCH_MS = 1288834974657
_WARN_AFTER_DAYS = 6
_SEARCH_WINDOW_DAYS = 7
# Per bearer token (the cap is the app's): when its spent usage cap ends, in this process.
_CAPPED: dict[str, datetime] = {}


class _UsageCapped(Exception):
    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body.get("detail"))
        self.body = body


def cap_ends(now: datetime, period: str, reset_day: int) -> datetime:
    """When a usage cap spent at ``now`` is available again: the next day for a daily cap, else
    the next ``reset_day`` of a month (the plan's billing day), at midnight UTC."""
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period.casefold() == "daily":
        return midnight + timedelta(days=1)
    this_month = midnight.replace(day=reset_day)
    if this_month > now:
        return this_month
    year, month = (
        (midnight.year + 1, 1) if midnight.month == 12 else (midnight.year, midnight.month + 1)
    )
    return this_month.replace(year=year, month=month)


def snowflake_time(post_id: str) -> datetime:
    """When an X post id was minted (ids carry their creation time)."""
    return datetime.fromtimestamp(((int(post_id) >> 22) + _TWITTER_EPOCH_MS) / 1000, UTC)


def _usage_cap(exc: Exception) -> dict[str, Any] | None:
    """The body of a 429 that is the plan's usage cap, not the 15-minute rate limit."""
    if not isinstance(exc, tweepy.TooManyRequests):
        return None
    try:
        body = exc.response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) and body.get("title") == "UsageCapExceeded" else None


def _translate(exc: Exception) -> SourceError:
    if isinstance(exc, tweepy.TooManyRequests):
        wait = wait_from_headers(exc.response.headers)
        return SourceError("X rate limit reached (429)", retry_after=wait)
    if isinstance(exc, tweepy.TwitterServerError):
        return SourceError(f"X server error {exc.response.status_code}", permanent=False)
    if isinstance(exc, tweepy.Unauthorized):
        return SourceError("X refused X_BEARER_TOKEN (401); check the token", permanent=True)
    if isinstance(exc, tweepy.Forbidden):
        return SourceError(
            "X refused the search (403): the app's access level may not include recent search",
            permanent=True,
        )
    if isinstance(exc, tweepy.HTTPException):
        detail = "; ".join(exc.api_messages) or str(exc.response.status_code)
        return SourceError(f"X rejected the search: {detail}", permanent=True)
    if isinstance(exc, requests.RequestException):
        return network_error("X", exc)
    return SourceError(f"X request failed: {exc}", permanent=False)


@dataclass
class XConnector:
    """Raises SourceError: 429 and 5xx and timeouts temporary, 401/403/400 permanent."""

    query: str
    bearer_token: str = field(repr=False)
    max_pages: int = 3
    max_results: int = 100
    cap_reset_day: int = 1
    sleep: Callable[[float], None] = time.sleep
    rate_remaining: int | None = None
    calls: int = 0  # search requests sent by this connector, for the usage table

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> XConnector:
        check_options(source, _KEYS)
        token = require_secret("X_BEARER_TOKEN", settings.environ, why=f"source {source.name!r}")
        query = str_option(source, "query") or f"({quoted_or(settings.school.names)}) -is:retweet"
        if len(query) > 512:
            raise ConfigError(f"source {source.name!r}: the X query is over 512 characters")
        return cls(
            query=query,
            bearer_token=token,
            max_pages=int_option(source, "max_pages", 3, 1, 50),
            max_results=int_option(source, "max_results", 100, 10, 100),
            cap_reset_day=int_option(source, "cap_reset_day", 1, 1, 28),
        )

    def _client(self) -> tuple[Any, TimeoutSession]:
        client = tweepy.Client(
            bearer_token=self.bearer_token, return_type=requests.Response, wait_on_rate_limit=False
        )
        session = TimeoutSession()
        client.session = session
        return client, session

    @property
    def _cap_key(self) -> str:
        return hashlib.sha256(self.bearer_token.encode()).hexdigest()

    def fetch(self, cursor: str | None) -> Batch:
        now = datetime.now(UTC)
        until = _CAPPED.get(self._cap_key)
        if until is not None and until > now:
            raise SourceError(
                f"X usage cap spent; this source waits until {until:%Y-%m-%d %H:%M} UTC",
                retry_after=(until - now).total_seconds(),
            )
        try:
            return self._fetch(cursor)
        except _UsageCapped as capped:
            raise self._stop_until_the_cap_ends(capped.body, now) from None

    def _stop_until_the_cap_ends(self, body: dict[str, Any], now: datetime) -> SourceError:
        period = str(body.get("period") or "Monthly")
        until = cap_ends(now, period, self.cap_reset_day)
        _CAPPED[self._cap_key] = until
        message = (
            f"X usage cap spent ({body.get('detail') or 'UsageCapExceeded'}, plan "
            f"{body.get('product_name') or 'unknown'}): no X search until {until:%Y-%m-%d %H:%M} "
            "UTC; raise the plan in the X developer portal, or set cap_reset_day to the plan's "
            "billing day"
        )
        log.error("x: %s", message)
        return SourceError(message, retry_after=(until - now).total_seconds())

    def _fetch(self, cursor: str | None) -> Batch:
        since_id = cursor if cursor and cursor.isdigit() else None
        if since_id:
            age = datetime.now(UTC) - snowflake_time(since_id)
            if age.days >= _SEARCH_WINDOW_DAYS:
                log.warning("x: the cursor is %d days old; recent search covers 7, some posts "
                            "were missed", age.days)  # fmt: skip
                since_id = None
            elif age.days >= _WARN_AFTER_DAYS:
                log.warning("x: the cursor is %d days old; recent search covers only 7", age.days)
        client, session = self._client()
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        newest = cursor if cursor and cursor.isdigit() else None
        token: str | None = None
        for page in range(1, self.max_pages + 1):
            body = with_retries(partial(self._page, client, since_id, token), self.sleep)
            self.rate_remaining = remaining_from_headers(session.last_headers)
            meta = as_dict(body.get("meta"))
            page_newest = meta.get("newest_id")
            if isinstance(page_newest, str) and page_newest.isdigit() and (
                newest is None or int(page_newest) > int(newest)
            ):  # fmt: skip
                newest = page_newest
            self._read_page(body, page, posts, skipped)
            token = meta.get("next_token")
            if not token:
                break
        else:
            log.warning("x: page budget (%d) spent; older matches were left unread", self.max_pages)
        for post in posts:
            if newest is None or int(post.external_id) > int(newest):
                newest = post.external_id
        return Batch(posts, newest, skipped, self.rate_remaining)

    def _page(self, client: Any, since_id: str | None, token: str | None) -> dict[str, Any]:
        self.calls += 1
        try:
            response = client.search_recent_tweets(
                self.query,
                max_results=self.max_results,
                since_id=since_id,
                next_token=token,
                expansions=["author_id"],
                tweet_fields=["created_at", "author_id", "conversation_id"],
                user_fields=["username"],
            )
            body = response.json()
        except (tweepy.TweepyException, requests.RequestException) as exc:
            capped = _usage_cap(exc)
            if capped is not None:
                raise _UsageCapped(capped) from None
            raise _translate(exc) from None
        except ValueError:
            raise SourceError("X answered with something that is not JSON") from None
        if not isinstance(body, dict):
            raise SourceError("X answered with something that is not a JSON object")
        return body

    @staticmethod
    def _read_page(
        body: dict[str, Any], page: int, posts: list[FetchedPost], skipped: list[Skipped]
    ) -> None:
        includes = as_dict(body.get("includes"))
        users = {
            u.get("id"): u.get("username")
            for u in includes.get("users", []) or []
            if isinstance(u, dict)
        }
        data = body.get("data") or []
        for index, item in enumerate(data if isinstance(data, list) else []):
            where = f"x page {page} item {index + 1}"
            try:
                posts.append(_post(item, users))
            except (ValueError, TypeError, KeyError) as exc:
                skipped.append(Skipped(where, str(exc)))


def _post(item: Any, users: dict[Any, Any]) -> FetchedPost:
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object")
    post_id, text = item.get("id"), item.get("text")
    if not isinstance(post_id, str) or not post_id.isdigit():
        raise ValueError('"id" is missing or not numeric')
    if not isinstance(text, str):
        raise ValueError('"text" is missing')
    username = users.get(item.get("author_id"))
    created = item.get("created_at")
    return FetchedPost(
        platform="x",
        external_id=post_id,
        text=text,
        author=f"@{username}" if isinstance(username, str) else None,
        url=(
            f"https://x.com/{username}/status/{post_id}"
            if isinstance(username, str)
            else f"https://x.com/i/web/status/{post_id}"
        ),
        created_at=parse_time(created) if created else snowflake_time(post_id),
        raw=item,
    )
