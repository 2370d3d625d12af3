"""The ``reddit`` source: search for the school's names and read local subreddits' comments.

Reddit's search finds posts, not comments, so configured local subreddits' newest comments are
read too and kept when they name the school. The cursor holds the newest creation time seen
per stream; listings come newest first, so reading stops a margin (``OVERLAP``) before where the
last cycle stopped: search indexes some posts late, and storage ignores the ones seen twice.

prawcore is the HTTP client (OAuth token, rate-limit headers); its own retries are switched off,
so a failing request is retried by ``with_retries`` alone, and its rate limiter never waits
longer than ``MAX_INLINE_WAIT``: a spent budget defers the source to the scheduler instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import prawcore
from prawcore.rate_limit import RateLimiter
from prawcore.sessions import RetryStrategy

from config import ConfigError, Settings, SourceSettings
from config.env import require_secret
from connectors.base import Batch, FetchedPost, Skipped, SourceError
from connectors.common import (
    MAX_INLINE_WAIT,
    TimeoutSession,
    check_options,
    dump_cursor,
    int_option,
    list_option,
    load_cursor,
    mentions,
    quoted_or,
    str_option,
    wait_from_headers,
    with_retries,
)

_KEYS = ("query", "subreddits", "comment_subreddits", "max_pages")
MAX_QUERY = 512  # Reddit's search answers 400 to a longer q
OVERLAP = 600.0  # seconds re-read below the cursor, for posts the search indexed late
# A 429 without a reset header (the token endpoint sends none) waits for the next cycle.
TOKEN_RETRY = 60.0


def _translate(exc: Exception) -> SourceError:
    if isinstance(exc, prawcore.ResponseException) and exc.response.status_code == 429:
        # Also the token endpoint's {"message": "Too Many Requests", "error": 429}: the
        # credentials are fine, the budget is spent.
        wait = wait_from_headers(exc.response.headers)
        if wait is None and "access_token" in str(exc.response.url):
            wait = TOKEN_RETRY
        return SourceError("Reddit rate limit reached (429)", retry_after=wait)
    if isinstance(exc, prawcore.ServerError):
        return SourceError(f"Reddit server error {exc.response.status_code}", permanent=False)
    if isinstance(exc, prawcore.RequestException):
        return SourceError(f"Reddit could not be reached: {exc.original_exception!r}")
    if isinstance(exc, prawcore.OAuthException | prawcore.InvalidToken):
        return SourceError(
            "Reddit refused REDDIT_CLIENT_ID/REDDIT_CLIENT_SECRET; check the app's credentials",
            permanent=True,
        )
    if isinstance(exc, prawcore.ResponseException):
        code = exc.response.status_code
        if code == 401:
            return SourceError(
                "Reddit refused REDDIT_CLIENT_ID/REDDIT_CLIENT_SECRET (401)", permanent=True
            )
        if code in (403, 404, 302):
            return SourceError(
                f"Reddit refused the listing ({code}): a subreddit may be private, banned or "
                "misspelt",
                permanent=True,
            )
        return SourceError(f"Reddit answered {code}", permanent=code < 500)
    return SourceError(f"Reddit request failed: {exc}", permanent=True)


def _post(child: Any) -> FetchedPost:
    if not isinstance(child, dict) or not isinstance(child.get("data"), dict):
        raise ValueError("expected a listing child with data")
    kind, data = child.get("kind"), child["data"]
    name, created = data.get("name"), data.get("created_utc")
    if not isinstance(name, str) or not isinstance(created, int | float):
        raise ValueError('"name" or "created_utc" is missing')
    if kind == "t3":
        title, body = data.get("title"), data.get("selftext") or ""
        if not isinstance(title, str) or not isinstance(body, str):
            raise ValueError('"title" is missing')
        text = f"{title}\n\n{body}" if body else title
    elif kind == "t1":
        text = data.get("body")
        if not isinstance(text, str):
            raise ValueError('"body" is missing')
    else:
        raise ValueError(f"unexpected kind {kind!r}")
    author, permalink = data.get("author"), data.get("permalink")
    return FetchedPost(
        platform="reddit",
        external_id=name,
        text=text,
        author=f"u/{author}" if isinstance(author, str) and author != "[deleted]" else None,
        url=f"https://www.reddit.com{permalink}" if isinstance(permalink, str) else None,
        created_at=datetime.fromtimestamp(float(created), UTC),
        raw=data,
    )


class _NoRetries(RetryStrategy):
    """prawcore retries 5xx and network errors three times; ``with_retries`` already does."""

    def _sleep_seconds(self) -> float | None:
        return None

    def consume_available_retry(self) -> _NoRetries:
        return self

    def should_retry_on_failure(self) -> bool:
        return False


class _ShortWaits(RateLimiter):
    """prawcore's limiter, except that a wait over ``MAX_INLINE_WAIT`` (a spent budget waits
    for its reset, up to ten minutes) is raised as a temporary SourceError for the scheduler."""

    def __init__(self, sleep: Callable[[float], None]) -> None:
        super().__init__(window_size=600)
        self.sleep = sleep

    def delay(self) -> None:
        if self.next_request_timestamp is None:
            return
        wait = self.next_request_timestamp - time.time()
        if wait > MAX_INLINE_WAIT:
            raise SourceError(
                f"Reddit rate limit spent; it resets in {wait:.0f}s", retry_after=wait
            )
        if wait > 0:
            self.sleep(wait)


class _Session(prawcore.Session):
    def __init__(self, authorizer: prawcore.Authorizer, limiter: _ShortWaits) -> None:
        super().__init__(authorizer)
        self._rate_limiter = limiter
        self._retry_strategy_class = _NoRetries


@dataclass
class RedditConnector:
    """Raises SourceError: 429, 5xx and network failures temporary, 401/403/404 permanent."""

    query: str
    subreddits: tuple[str, ...]
    comment_subreddits: tuple[str, ...]
    names: tuple[str, ...]
    credentials: tuple[str, str, str] = field(repr=False)
    max_pages: int = 3
    sleep: Callable[[float], None] = time.sleep
    rate_remaining: int | None = None
    calls: int = 0  # listing requests sent by this connector, for the usage table

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> RedditConnector:
        check_options(source, _KEYS)
        why = f"source {source.name!r}"
        credentials = (
            require_secret("REDDIT_CLIENT_ID", settings.environ, why),
            require_secret("REDDIT_CLIENT_SECRET", settings.environ, why),
            require_secret("REDDIT_USER_AGENT", settings.environ, why),
        )
        query = str_option(source, "query") or quoted_or(settings.school.names)
        if len(query) > MAX_QUERY:
            raise ConfigError(
                f"source {source.name!r}: the Reddit query is {len(query)} characters and Reddit "
                f'allows {MAX_QUERY}; set a shorter query = "..." (fewer names or aliases)'
            )
        return cls(
            query=query,
            subreddits=list_option(source, "subreddits", ("all",)),
            comment_subreddits=list_option(source, "comment_subreddits"),
            names=settings.school.names,
            credentials=credentials,
            max_pages=int_option(source, "max_pages", 3, 1, 20),
        )

    def _reddit(self) -> tuple[_Session, _ShortWaits]:
        client_id, secret, agent = self.credentials
        try:
            requestor = prawcore.Requestor(agent, session=TimeoutSession())
        except prawcore.InvalidInvocation:
            raise SourceError(
                "REDDIT_USER_AGENT is too short; Reddit asks for '<platform>:<app>:<version> "
                "(by u/<username>)'",
                permanent=True,
            ) from None
        authorizer = prawcore.ReadOnlyAuthorizer(
            prawcore.TrustedAuthenticator(requestor, client_id, secret)
        )
        limiter = _ShortWaits(self.sleep)
        return _Session(authorizer, limiter), limiter

    def fetch(self, cursor: str | None) -> Batch:
        state = load_cursor(cursor)
        reddit, limiter = self._reddit()
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        subs = "+".join(self.subreddits)
        params = {"q": self.query, "sort": "new", "t": "all", "type": "link",
                  "restrict_sr": str(subs != "all").lower()}  # fmt: skip
        if self.query:  # empty only for a shared read of a subreddit's comments
            state["search"] = self._stream(
                reddit, f"/r/{subs}/search", params, state.get("search"), posts, skipped, None
            )
        for sub in self.comment_subreddits:
            key = f"comments:{sub}"
            state[key] = self._stream(
                reddit, f"/r/{sub}/comments", {}, state.get(key), posts, skipped, self.names
            )
        remaining = limiter.remaining
        self.rate_remaining = int(remaining) if remaining is not None else None
        reddit.close()
        return Batch(posts, dump_cursor(state), skipped, self.rate_remaining)

    def _stream(
        self,
        reddit: _Session,
        path: str,
        params: dict[str, str],
        since: Any,
        posts: list[FetchedPost],
        skipped: list[Skipped],
        names: tuple[str, ...] | None,
    ) -> float | None:
        """Read a newest-first listing down to ``OVERLAP`` before ``since``; return the newest
        time seen."""
        high = float(since) if isinstance(since, int | float) else None
        newest = high
        stop = high - OVERLAP if high is not None else None
        after: str | None = None
        for page in range(1, self.max_pages + 1):
            query = {**params, "limit": "100", "raw_json": "1"}
            if after:
                query["after"] = after
            listing = with_retries(partial(self._get, reddit, path, query), self.sleep)
            data = listing.get("data") if isinstance(listing, dict) else None
            children = data.get("children") if isinstance(data, dict) else None
            if not isinstance(children, list):
                raise SourceError(f"Reddit answered {path} without a listing")
            for index, child in enumerate(children):
                try:
                    post = _post(child)
                except ValueError as exc:
                    skipped.append(Skipped(f"reddit {path} page {page} item {index + 1}", str(exc)))
                    continue
                created = post.created_at.timestamp() if post.created_at else 0.0
                if stop is not None and created <= stop:
                    return newest
                newest = created if newest is None else max(newest, created)
                if names is None or mentions(post.text, names):
                    posts.append(post)
            after = data.get("after") if isinstance(data, dict) else None
            if not after:
                break
        return newest

    def _get(self, reddit: _Session, path: str, params: dict[str, str]) -> Any:
        self.calls += 1
        try:
            return reddit.request(method="GET", path=path, params=params)
        except prawcore.PrawcoreException as exc:
            raise _translate(exc) from None
