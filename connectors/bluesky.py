"""The ``bluesky`` source: ``app.bsky.feed.searchPosts`` (latest first), one phrase per name.

Logs in with an app password once per process and account: the session (tokens only, no
password) is kept in memory and reused by later cycles, refreshed by atproto when its access token
expires, and replaced by a new login only when Bluesky refuses it. Bluesky allows few logins a day.

The cursor holds the newest ``indexedAt`` seen per query. ``since`` filters on a post's
``sortAt`` (the earlier of its claimed ``createdAt`` and ``indexedAt``), so a post created before
the cursor but indexed after it would be missed: ``since`` is sent ``OVERLAP`` earlier, and
storage ignores the posts read twice. The API's own pagination cursor is followed within one
cycle up to ``max_pages``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from functools import partial
from typing import Any

from atproto import Client, models
from atproto_client import exceptions as at
from atproto_client.request import Request

from config import Settings, SourceSettings
from config.env import require_secret
from connectors.base import Batch, FetchedPost, Skipped, SourceError
from connectors.common import (
    TIMEOUT,
    check_options,
    dump_cursor,
    int_option,
    list_option,
    load_cursor,
    parse_time,
    remaining_from_headers,
    str_option,
    wait_from_headers,
    with_retries,
)

log = logging.getLogger(__name__)
_KEYS = ("queries", "service", "max_pages", "lang")
OVERLAP = timedelta(minutes=10)
# (service, handle) -> the exported session of this process's last login there.
_SESSIONS: dict[tuple[str, str], str] = {}
# What a PDS answers when a stored session's tokens are no longer any good.
_STALE = ("ExpiredToken", "InvalidToken", "AuthenticationRequired", "AuthMissing")


def _translate(exc: Exception) -> SourceError:
    response = getattr(exc, "response", None)
    headers = dict(getattr(response, "headers", None) or {})
    status = getattr(response, "status_code", None)
    if isinstance(exc, at.RateLimitExceededError):
        return SourceError(
            "Bluesky rate limit reached (429)", retry_after=wait_from_headers(headers)
        )
    if isinstance(exc, at.UnauthorizedError):
        return SourceError(
            f"Bluesky refused the login ({status}); check BLUESKY_HANDLE and BLUESKY_APP_PASSWORD",
            permanent=True,
        )
    if isinstance(exc, at.InvokeTimeoutError | at.NetworkError):
        return SourceError(f"Bluesky could not be reached: {type(exc).__name__}")
    if isinstance(status, int) and status >= 500:
        return SourceError(f"Bluesky server error {status}")
    return SourceError(f"Bluesky rejected the request ({status}): {exc}", permanent=True)


def _stale_session(exc: Exception) -> bool:
    if isinstance(exc, at.UnauthorizedError):
        return True
    content = getattr(getattr(exc, "response", None), "content", None)
    return isinstance(exc, at.BadRequestError) and getattr(content, "error", None) in _STALE


def _since(cursor: str) -> str:
    """The ``since`` to send for a cursor: ``OVERLAP`` earlier, in the API's format."""
    moved = parse_time(cursor).astimezone(UTC) - OVERLAP
    return moved.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moved.microsecond // 1000:03d}Z"


def _post(item: Any) -> FetchedPost:
    if not isinstance(item, dict):
        raise ValueError("expected a post view object")
    uri, author, record = item.get("uri"), item.get("author"), item.get("record")
    if not isinstance(uri, str) or not uri.startswith("at://"):
        raise ValueError('"uri" is missing')
    if not isinstance(author, dict) or not isinstance(record, dict):
        raise ValueError('"author" or "record" is missing')
    text, handle = record.get("text"), author.get("handle")
    if not isinstance(text, str):
        raise ValueError('"record.text" is missing')
    created = record.get("createdAt") or item.get("indexedAt")
    rkey = uri.rsplit("/", 1)[-1]
    did = author.get("did") or uri.removeprefix("at://").split("/", 1)[0]
    # A handle whose DNS or DID document no longer matches is shown as "handle.invalid"; the DID
    # still names the account and its links still work.
    valid = isinstance(handle, str) and handle and handle != "handle.invalid"
    return FetchedPost(
        platform="bluesky",
        external_id=uri,
        text=text,
        author=f"@{handle}" if valid else (did if isinstance(did, str) else None),
        url=f"https://bsky.app/profile/{handle if valid else did}/post/{rkey}",
        created_at=parse_time(created),
        raw=item,
    )


@dataclass
class BlueskyConnector:
    """Raises SourceError: 429, 5xx and timeouts temporary, a refused login permanent."""

    queries: tuple[str, ...]
    handle: str
    password: str = field(repr=False)
    service: str = "https://bsky.social"
    max_pages: int = 3
    lang: str | None = None
    sleep: Callable[[float], None] = time.sleep
    rate_remaining: int | None = None
    _client: Any = field(default=None, repr=False)
    _logged_in: bool = False  # with the password, in this cycle

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> BlueskyConnector:
        check_options(source, _KEYS)
        why = f"source {source.name!r}"
        return cls(
            queries=list_option(source, "queries", tuple(f'"{n}"' for n in settings.school.names)),
            handle=require_secret("BLUESKY_HANDLE", settings.environ, why),
            password=require_secret("BLUESKY_APP_PASSWORD", settings.environ, why),
            service=str_option(source, "service", "https://bsky.social") or "https://bsky.social",
            max_pages=int_option(source, "max_pages", 3, 1, 20),
            lang=str_option(source, "lang"),
        )

    @property
    def _key(self) -> tuple[str, str]:
        return (self.service, self.handle.casefold())

    def _login(self) -> Any:
        if self._client is not None:
            return self._client
        client = Client(base_url=self.service, request=Request(timeout=TIMEOUT))
        saved = _SESSIONS.get(self._key)
        if saved:
            try:
                client.login(session_string=saved, fetch_bsky_profile=False)  # no request
            except (ValueError, at.AtProtocolError):
                _SESSIONS.pop(self._key, None)
            else:
                self._client = client
                return client
        try:
            client.login(self.handle, self.password, fetch_bsky_profile=False)
        except at.AtProtocolError as exc:
            raise _translate(exc) from None
        log.info("bluesky: logged in as %s", self.handle)
        self._logged_in = True
        _SESSIONS[self._key] = client.export_session_string()
        self._client = client
        return client

    def _forget_session(self) -> None:
        _SESSIONS.pop(self._key, None)
        self._client = None

    def fetch(self, cursor: str | None) -> Batch:
        state = load_cursor(cursor)
        with_retries(self._login, self.sleep)
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        for query in self.queries:
            since = state.get(query) if isinstance(state.get(query), str) else None
            newest = since
            page_cursor: str | None = None
            for page in range(1, self.max_pages + 1):
                body = with_retries(partial(self._search, query, page_cursor, since), self.sleep)
                items = body.get("posts")
                if not isinstance(items, list):
                    raise SourceError("Bluesky answered searchPosts without a posts list")
                for index, item in enumerate(items):
                    try:
                        post = _post(item)
                    except (ValueError, TypeError) as exc:
                        skipped.append(Skipped(f"bluesky {query} page {page} item {index + 1}",
                                               str(exc)))  # fmt: skip
                        continue
                    indexed = item.get("indexedAt")
                    if isinstance(indexed, str) and (newest is None or indexed > newest):
                        newest = indexed
                    posts.append(post)
                page_cursor = body.get("cursor") if isinstance(body.get("cursor"), str) else None
                if not page_cursor or not items:
                    break
            if newest:
                state[query] = newest
        if self._client is not None:  # atproto may have refreshed the tokens
            _SESSIONS[self._key] = self._client.export_session_string()
        return Batch(posts, dump_cursor(state), skipped, self.rate_remaining)

    def _search(self, query: str, cursor: str | None, since: str | None) -> Any:
        params = models.AppBskyFeedSearchPosts.Params(
            q=query, sort="latest", limit=100, cursor=cursor,
            since=_since(since) if since else None, lang=self.lang,
        )  # fmt: skip
        client = self._login()
        try:
            response = client.invoke_query("app.bsky.feed.searchPosts", params=params)
        except at.AtProtocolError as exc:
            if not self._logged_in and _stale_session(exc):
                # A kept session that Bluesky no longer takes: log in afresh, once.
                self._forget_session()
                return self._search(query, cursor, since)
            raise _translate(exc) from None
        self.rate_remaining = remaining_from_headers(response.headers or {})
        if not isinstance(response.content, dict):
            raise SourceError("Bluesky answered searchPosts with something that is not JSON")
        return response.content
