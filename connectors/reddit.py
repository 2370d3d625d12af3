"""The ``reddit`` source: search for the school's names and read local subreddits' comments.

Reddit's search finds posts, not comments, so configured local subreddits' newest comments are
read too and kept when they name the school. The cursor holds the newest creation time seen
per stream; listings come newest first, so reading stops where the last cycle stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

import praw
import prawcore
from praw.exceptions import PRAWException

from config import Settings, SourceSettings
from config.env import require_secret
from connectors.base import Batch, FetchedPost, Skipped, SourceError
from connectors.common import (
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


def _translate(exc: Exception) -> SourceError:
    if isinstance(exc, prawcore.TooManyRequests):
        wait = wait_from_headers(exc.response.headers)
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
        author=f"u/{author}" if isinstance(author, str) else None,
        url=f"https://www.reddit.com{permalink}" if isinstance(permalink, str) else None,
        created_at=datetime.fromtimestamp(float(created), UTC),
        raw=data,
    )


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

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> RedditConnector:
        check_options(source, _KEYS)
        why = f"source {source.name!r}"
        credentials = (
            require_secret("REDDIT_CLIENT_ID", settings.environ, why),
            require_secret("REDDIT_CLIENT_SECRET", settings.environ, why),
            require_secret("REDDIT_USER_AGENT", settings.environ, why),
        )
        return cls(
            query=str_option(source, "query") or quoted_or(settings.school.names),
            subreddits=list_option(source, "subreddits", ("all",)),
            comment_subreddits=list_option(source, "comment_subreddits"),
            names=settings.school.names,
            credentials=credentials,
            max_pages=int_option(source, "max_pages", 3, 1, 20),
        )

    def _reddit(self) -> tuple[praw.Reddit, TimeoutSession]:
        client_id, secret, agent = self.credentials
        session = TimeoutSession()
        reddit = praw.Reddit(
            client_id=client_id,
            client_secret=secret,
            user_agent=agent,
            check_for_updates=False,
            requestor_kwargs={"session": session},
        )
        return reddit, session

    def fetch(self, cursor: str | None) -> Batch:
        state = load_cursor(cursor)
        reddit, session = self._reddit()
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        subs = "+".join(self.subreddits)
        params = {"q": self.query, "sort": "new", "t": "all", "type": "link",
                  "restrict_sr": str(subs != "all").lower()}  # fmt: skip
        state["search"] = self._stream(
            reddit, f"/r/{subs}/search", params, state.get("search"), posts, skipped, None
        )
        for sub in self.comment_subreddits:
            key = f"comments:{sub}"
            state[key] = self._stream(
                reddit, f"/r/{sub}/comments", {}, state.get(key), posts, skipped, self.names
            )
        limits = reddit.auth.limits
        remaining = limits.get("remaining") if isinstance(limits, dict) else None
        self.rate_remaining = int(remaining) if isinstance(remaining, int | float) else None
        session.close()
        return Batch(posts, dump_cursor(state), skipped, self.rate_remaining)

    def _stream(
        self,
        reddit: praw.Reddit,
        path: str,
        params: dict[str, str],
        since: Any,
        posts: list[FetchedPost],
        skipped: list[Skipped],
        names: tuple[str, ...] | None,
    ) -> float | None:
        """Read a newest-first listing down to ``since``; return the newest time seen."""
        high = float(since) if isinstance(since, int | float) else None
        newest = high
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
                if high is not None and created <= high:
                    return newest
                newest = created if newest is None else max(newest, created)
                if names is None or mentions(post.text, names):
                    posts.append(post)
            after = data.get("after") if isinstance(data, dict) else None
            if not after:
                break
        return newest

    @staticmethod
    def _get(reddit: praw.Reddit, path: str, params: dict[str, str]) -> Any:
        try:
            return reddit.request(method="GET", path=path, params=params)
        except (prawcore.PrawcoreException, PRAWException) as exc:
            raise _translate(exc) from None
