"""What each source type watches, what it costs in calls, and what it cannot see.

The short form of docs/connectors.md, for ``schoolwatch sources --coverage``. Call counts are per
cycle, from the fewest (one page, nothing new) to the most (every page read); a cycle's token or
login calls are included where a cycle makes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from config import SourceSettings

Calls = Callable[[Mapping[str, Any], int], tuple[int, int]]


def _int(options: Mapping[str, Any], key: str, default: int) -> int:
    value = options.get(key, default)
    return (
        value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default
    )


def _count(options: Mapping[str, Any], key: str, default: int) -> int:
    value = options.get(key)
    if isinstance(value, list):
        return len(value)
    return 1 if isinstance(value, str) else default


def _reddit(options: Mapping[str, Any], names: int) -> tuple[int, int]:
    streams = 1 + _count(options, "comment_subreddits", 0)
    return 1 + streams, 1 + streams * _int(options, "max_pages", 3)


def _x(options: Mapping[str, Any], names: int) -> tuple[int, int]:
    return 1, _int(options, "max_pages", 3)


def _bluesky(options: Mapping[str, Any], names: int) -> tuple[int, int]:
    queries = _count(options, "queries", names)
    return queries, queries * _int(options, "max_pages", 3)


def _mastodon(options: Mapping[str, Any], names: int) -> tuple[int, int]:
    tags = _count(options, "hashtags", names)
    searches = names if options.get("search") is True else 0
    return tags + searches, tags * _int(options, "max_pages", 3) + searches


def _youtube(options: Mapping[str, Any], names: int) -> tuple[int, int]:
    threads = (1 if options.get("channel_id") else 0) + _count(options, "video_ids", 0)
    return threads, threads * _int(options, "max_pages", 2)


def _facebook(options: Mapping[str, Any], names: int) -> tuple[int, int]:
    posts = _int(options, "posts_per_cycle", 25) if options.get("comments", True) else 0
    return 1, _int(options, "max_pages", 2) + posts


def _rss(options: Mapping[str, Any], names: int) -> tuple[int, int]:
    return 1, _int(options, "max_pages", 3)


def _imap(options: Mapping[str, Any], names: int) -> tuple[int, int]:
    return 1, 1  # one session: login, select, search, fetch the new messages


def _none(options: Mapping[str, Any], names: int) -> tuple[int, int]:
    return 0, 0


@dataclass(frozen=True)
class Coverage:
    watches: str
    limit: str
    blind: str
    calls: Calls


COVERAGE: dict[str, Coverage] = {
    "reddit": Coverage(
        "Reddit search for the names (posts), and new comments in comment_subreddits",
        "about 100 calls a minute per app",
        "comments outside comment_subreddits, text in images, private or removed posts",
        _reddit,
    ),
    "x": Coverage(
        "X recent search (last 7 days) for the names, retweets excluded",
        "billed per post read; 450 calls per 15 minutes; the plan's monthly cap",
        "protected accounts, replies that do not name the school, text in images, anything "
        "older than 7 days when the service was down longer",
        _x,
    ),
    "bluesky": Coverage(
        "Bluesky searchPosts (latest) for each query",
        "3,000 calls per 5 minutes; about 300 logins a day (one per process)",
        "replies that do not name the school, text in images, posts the search has not indexed",
        _bluesky,
    ),
    "mastodon": Coverage(
        "hashtag timelines of one instance (and its search when search = true)",
        "usually 300 calls per 5 minutes",
        "posts without the hashtag, servers the instance does not federate with, "
        "unlisted and followers-only posts",
        _mastodon,
    ),
    "youtube": Coverage(
        "top-level comments on the school's channel and listed videos",
        "1 quota unit a call, 10,000 units a day per project",
        "replies inside threads, other channels' videos not listed, held-for-review comments, "
        "live chat",
        _youtube,
    ),
    "facebook_page": Coverage(
        "posts on the school's Page with their newest comments, nested in one call",
        "per-Page call budget over 24 hours (X-Business-Use-Case-Usage)",
        "groups, personal profiles and other Pages, comments on posts older than "
        "posts_per_cycle, Messenger",
        _facebook,
    ),
    "rss": Coverage(
        "one RSS or Atom feed, entries naming the school",
        "the publisher's; unchanged feeds answer 304",
        "what the feed does not carry (often only a summary)",
        _rss,
    ),
    "imap": Coverage(
        "a reporting mailbox (links, text and screenshots that parents and staff forward)",
        "the mail server's; one login and one search a cycle",
        "anything nobody forwards; text in images Tesseract cannot read",
        _imap,
    ),
    "jsonl": Coverage(
        "posts staff record by hand in the import file",
        "none",
        "anything nobody records",
        _none,
    ),
}


def calls_a_day(source: SourceSettings, names: int) -> tuple[int, int]:
    """The fewest and most calls a day this source makes at its schedule."""
    coverage = COVERAGE.get(source.type)
    if coverage is None:
        return 0, 0
    least, most = coverage.calls(source.options, names)
    cycles = max(1, round(86_400 / max(1, source.every_seconds)))
    return least * cycles, most * cycles
