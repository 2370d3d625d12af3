"""The ``mastodon`` source: one instance's hashtag timelines and, where allowed, full-text search.

One source per instance. Hashtag timelines are public; full-text search needs an access token and
an instance that offers it (most only search posts that opted in). The cursor holds the newest
status id seen per hashtag (``since_id``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from mastodon import Mastodon
from mastodon import errors as md

from config import ConfigError, Settings, SourceSettings
from config.env import env_secret, require_secret
from connectors.base import Batch, FetchedPost, Skipped, SourceError
from connectors.common import (
    TimeoutSession,
    bool_option,
    check_options,
    dump_cursor,
    html_to_text,
    int_option,
    list_option,
    load_cursor,
    mentions,
    parse_time,
    remaining_from_headers,
    str_option,
    with_retries,
)

_KEYS = ("instance", "hashtags", "search", "max_pages")


def default_hashtags(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(re.sub(r"\W+", "", n) for n in names if re.sub(r"\W+", "", n)))


def _translate(exc: Exception, client: Any, token: bool = True, what: str = "") -> SourceError:
    if isinstance(exc, md.MastodonRatelimitError):
        reset = getattr(client, "ratelimit_reset", None)
        wait = max(0.0, float(reset) - time.time()) if isinstance(reset, int | float) else None
        return SourceError("Mastodon rate limit reached (429)", retry_after=wait)
    if isinstance(exc, md.MastodonNetworkError):
        return SourceError(f"Mastodon instance could not be reached: {type(exc).__name__}")
    if isinstance(exc, md.MastodonServerError):
        return SourceError("Mastodon instance server error")
    if isinstance(exc, md.MastodonUnauthorizedError) and not token:
        # No token was sent: the instance keeps this timeline for logged-in users (Mastodon's
        # timeline preview settings); "This method requires an authenticated user".
        where = getattr(client, "api_base_url", "the instance")
        return SourceError(
            f"{where} requires login to read {what or 'this timeline'} (401); set "
            "MASTODON_ACCESS_TOKEN to a read-scope token from an account there, or watch an "
            "instance that shows it without login",
            permanent=True,
        )
    if isinstance(exc, md.MastodonUnauthorizedError):
        return SourceError(
            "the Mastodon instance refused MASTODON_ACCESS_TOKEN (401)", permanent=True
        )
    if isinstance(exc, md.MastodonNotFoundError):
        return SourceError("the Mastodon instance has no such endpoint (404)", permanent=True)
    return SourceError(f"the Mastodon instance refused the request: {exc}", permanent=True)


def _post(item: Any) -> FetchedPost:
    if not isinstance(item, dict):
        raise ValueError("expected a status object")
    status_id, content, account = item.get("id"), item.get("content"), item.get("account")
    if not isinstance(status_id, str | int) or not str(status_id).isdigit():
        raise ValueError('"id" is missing')
    if not isinstance(content, str):
        raise ValueError('"content" is missing')
    acct = account.get("acct") if isinstance(account, dict) else None
    created = item.get("created_at")
    url = item.get("url") or item.get("uri")
    return FetchedPost(
        platform="mastodon",
        external_id=str(item.get("uri") or status_id),
        text=html_to_text(content),
        author=f"@{acct}" if isinstance(acct, str) else None,
        url=url if isinstance(url, str) else None,
        created_at=parse_time(_plain(created)),
        raw=_plain(item),
    )


def _plain(value: Any) -> Any:
    """Mastodon.py's typed objects as plain JSON values (dates as ISO strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@dataclass
class MastodonConnector:
    """Raises SourceError: 429, 5xx and timeouts temporary, 401/404 permanent."""

    instance: str
    hashtags: tuple[str, ...]
    names: tuple[str, ...]
    token: str | None = field(default=None, repr=False)
    search: bool = False
    max_pages: int = 3
    sleep: Callable[[float], None] = time.sleep
    rate_remaining: int | None = None

    @classmethod
    def from_settings(cls, source: SourceSettings, settings: Settings) -> MastodonConnector:
        check_options(source, _KEYS)
        instance = str_option(source, "instance")
        if not instance or not instance.startswith(("https://", "http://")):
            raise ConfigError(
                f'source {source.name!r}: type mastodon needs instance = "https://mastodon.example"'
            )
        search = bool_option(source, "search", False)
        why = f"source {source.name!r} (search = true)"
        token = (
            require_secret("MASTODON_ACCESS_TOKEN", settings.environ, why)
            if search
            else env_secret("MASTODON_ACCESS_TOKEN", settings.environ)
        )
        hashtags = tuple(
            h.lstrip("#")
            for h in list_option(source, "hashtags", default_hashtags(settings.school.names))
        )
        return cls(
            instance=instance.rstrip("/"),
            hashtags=hashtags,
            names=settings.school.names,
            token=token,
            search=search,
            max_pages=int_option(source, "max_pages", 3, 1, 20),
        )

    def fetch(self, cursor: str | None) -> Batch:
        state = load_cursor(cursor)
        session = TimeoutSession()
        client = Mastodon(
            access_token=self.token,
            api_base_url=self.instance,
            ratelimit_method="throw",
            session=session,
            version_check_mode="none",
        )
        posts: list[FetchedPost] = []
        skipped: list[Skipped] = []
        for tag in self.hashtags:
            key = f"tag:{tag}"
            since = state.get(key) if isinstance(state.get(key), str) else None
            newest = since
            what = f"the #{tag} timeline"
            page: Any = with_retries(
                partial(self._call, client, what, client.timeline_hashtag, tag, since_id=since,
                        limit=40),
                self.sleep,
            )  # fmt: skip
            reached = False
            for number in range(1, self.max_pages + 1):
                for index, item in enumerate(page or []):
                    try:
                        post = _post(item)
                    except (ValueError, TypeError) as exc:
                        skipped.append(Skipped(f"mastodon #{tag} page {number} item {index + 1}",
                                               str(exc)))  # fmt: skip
                        continue
                    item_id = str(item["id"])
                    if since is not None and int(item_id) <= int(since):
                        reached = True  # older pages were read by an earlier cycle
                        break
                    if newest is None or int(item_id) > int(newest):
                        newest = item_id
                    posts.append(post)
                if reached or not page or number == self.max_pages:
                    break
                page = with_retries(
                    partial(self._call, client, what, client.fetch_next, page), self.sleep
                )
            if newest:
                state[key] = newest
        if self.search:
            self._search(client, posts, skipped)
        self.rate_remaining = remaining_from_headers(session.last_headers)
        return Batch(posts, dump_cursor(state), skipped, self.rate_remaining)

    def _search(self, client: Any, posts: list[FetchedPost], skipped: list[Skipped]) -> None:
        seen = {p.external_id for p in posts}
        for name in self.names:
            found = with_retries(
                partial(self._call, client, "search", client.search_v2, f'"{name}"', resolve=False,
                        result_type="statuses", limit=40, exclude_unreviewed=False),
                self.sleep,
            )  # fmt: skip
            statuses = found.get("statuses") if isinstance(found, dict) else None
            for index, item in enumerate(statuses or []):
                try:
                    post = _post(item)
                except (ValueError, TypeError) as exc:
                    skipped.append(Skipped(f"mastodon search item {index + 1}", str(exc)))
                    continue
                if mentions(post.text, self.names) and post.external_id not in seen:
                    seen.add(post.external_id)
                    posts.append(post)

    def _call(
        self, client: Any, what: str, method: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        try:
            return method(*args, **kwargs)
        except md.MastodonError as exc:
            raise _translate(exc, client, self.token is not None, what) from None
