"""The ``youtube`` source: comment threads on the school's channel and on chosen videos.

YouTube Data API v3 over HTTP. Each ``commentThreads.list`` call costs 1 quota unit of the
project's 10,000 a day; the cursor counts the units spent today (Pacific time, as Google does)
and stops before ``daily_quota``. Threads come newest first; reading stops at the last cycle's
newest comment.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

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
    list_option,
    load_cursor,
    mentions,
    parse_time,
    status_error,
    str_option,
    wait_from_headers,
    with_retries,
)

API = "https://www.googleapis.com/youtube/v3/commentThreads"
_KEYS = ("channel_id", "video_ids", "match_names", "max_pages", "daily_quota")
_PACIFIC = ZoneInfo("America/Los_Angeles")


def _until_quota_reset(now: datetime | None = None) -> float:
    now = now or datetime.now(_PACIFIC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - now).total_seconds()


class CommentsOff(SourceError):
    """One video has its comments turned off (403 commentsDisabled): skip it, not the source."""


def _translate(failure: HttpFailure) -> SourceError:
    error = as_dict(failure.body.get("error"))
    reasons = [e.get("reason") for e in error.get("errors", []) if isinstance(e, dict)]
    message = str(error.get("message") or "")
    if "commentsDisabled" in reasons:
        return CommentsOff("comments are turned off on this video", permanent=True)
    if "quotaExceeded" in reasons or "dailyLimitExceeded" in reasons:
        return SourceError("YouTube daily quota spent", retry_after=_until_quota_reset())
    if "rateLimitExceeded" in reasons or "userRateLimitExceeded" in reasons:
        wait = wait_from_headers(failure.response.headers)
        return SourceError("YouTube rate limit reached", retry_after=60.0 if wait is None else wait)
    if "keyInvalid" in reasons or (failure.response.status_code == 400 and "API key" in message):
        return SourceError("YouTube refused YOUTUBE_API_KEY; check the key", permanent=True)
    return status_error("YouTube", failure.response, ", ".join(r for r in reasons if r) or message)


def _post(item: Any) -> FetchedPost:
    if not isinstance(item, dict) or not isinstance(item.get("snippet"), dict):
        raise ValueError("expected a commentThread with a snippet")
    top = item["snippet"].get("topLevelComment")
    snippet = top.get("snippet") if isinstance(top, dict) else None
    if not isinstance(snippet, dict) or not isinstance(top.get("id"), str):
        raise ValueError('"topLevelComment" is missing')
    text = snippet.get("textOriginal") or snippet.get("textDisplay")
    if not isinstance(text, str):
        raise ValueError('"textDisplay" is missing')
    video = snippet.get("videoId") or item["snippet"].get("videoId")
    comment_id = top["id"]
    return FetchedPost(
        platform="youtube",
        external_id=comment_id,
        text=text,
        author=snippet.get("authorDisplayName"),
        url=f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video else None,
        created_at=parse_time(snippet.get("publishedAt")),
        raw=item,
    )


@dataclass
class YoutubeConnector:
    """Raises SourceError: quota spent and 5xx temporary, a bad key permanent."""

    targets: tuple[tuple[str, str], ...]
    names: tuple[str, ...]
    api_key: str = field(repr=False)
    match_names: bool = True
    max_pages: int = 2
    daily_quota: int = 10_000
    sleep: Callable[[float], None] = time.sleep
    rate_remaining: int | None = None

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> YoutubeConnector:
        check_options(source, _KEYS)
        targets: list[tuple[str, str]] = []
        channel = str_option(source, "channel_id")
        if channel:
            targets.append(("allThreadsRelatedToChannelId", channel))
        targets.extend(("videoId", v) for v in list_option(source, "video_ids"))
        if not targets:
            raise ConfigError(
                f'source {source.name!r}: type youtube needs channel_id = "UC..." or video_ids'
            )
        return cls(
            targets=tuple(targets),
            names=settings.school.names,
            api_key=require_secret("YOUTUBE_API_KEY", settings.environ, f"source {source.name!r}"),
            match_names=bool_option(source, "match_names", True),
            max_pages=int_option(source, "max_pages", 2, 1, 50),
            daily_quota=int_option(source, "daily_quota", 10_000, 1, 1_000_000),
        )

    def fetch(self, cursor: str | None) -> Batch:
        state = load_cursor(cursor)
        today = datetime.now(_PACIFIC).date().isoformat()
        if state.get("day") != today:
            state["day"], state["units"] = today, 0
        session = TimeoutSession()
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        for kind, value in self.targets:
            key = f"{kind}:{value}"
            since = state.get(key) if isinstance(state.get(key), str) else None
            newest = since
            token: str | None = None
            for page in range(1, self.max_pages + 1):
                if int(state["units"]) >= self.daily_quota:
                    self.rate_remaining = 0
                    if posts or page > 1:
                        break
                    raise SourceError(
                        "YouTube daily quota for this source is spent",
                        retry_after=_until_quota_reset(),
                    )
                params = {"part": "snippet", kind: value, "order": "time", "maxResults": 100,
                          "textFormat": "plainText", "key": self.api_key}  # fmt: skip
                if token:
                    params["pageToken"] = token
                spent: list[int] = []
                try:
                    body = with_retries(partial(self._get, session, params, spent), self.sleep)
                except CommentsOff as exc:
                    skipped.append(Skipped(f"youtube {value}", str(exc)))
                    break
                finally:
                    state["units"] = int(state["units"]) + len(spent)
                stop = False
                items = body.get("items")
                for index, item in enumerate(items if isinstance(items, list) else []):
                    try:
                        post = _post(item)
                    except ValueError as exc:
                        skipped.append(Skipped(f"youtube {value} page {page} item {index + 1}",
                                               str(exc)))  # fmt: skip
                        continue
                    published = post.created_at.isoformat() if post.created_at else ""
                    if since is not None and published <= since:
                        stop = True
                        break
                    newest = published if newest is None or published > newest else newest
                    if not self.match_names or mentions(post.text, self.names):
                        posts.append(post)
                token = body.get("nextPageToken")
                if stop or not isinstance(token, str):
                    break
            if newest:
                state[key] = newest
        self.rate_remaining = max(0, self.daily_quota - int(state["units"]))
        return Batch(posts, dump_cursor(state), skipped, self.rate_remaining)

    @staticmethod
    def _get(session: TimeoutSession, params: dict[str, Any], spent: list[int]) -> dict[str, Any]:
        spent.append(1)  # every request costs a unit, answered or not
        try:
            body, _ = get_json(session, "YouTube", API, params)
        except HttpFailure as failure:
            raise _translate(failure) from None
        return body
