"""What the platform connectors share: option checks, name matching, waits and HTTP errors."""

from __future__ import annotations

import difflib
import html
import json
import random
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any, TypeVar

import requests
from requests.structures import CaseInsensitiveDict

from config import ConfigError, SourceSettings
from connectors.base import SourceError

T = TypeVar("T")
TIMEOUT = 20.0
USER_AGENT = "Schoolwatch/0.1 (school social media monitor)"
# A wait longer than this is left to the scheduler's next cycle instead of blocking this one.
MAX_INLINE_WAIT = 30.0


def check_options(source: SourceSettings, allowed: tuple[str, ...]) -> None:
    for key in source.options:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"valid keys: {', '.join(allowed)}"
            raise ConfigError(
                f"source {source.name!r}: unknown key {key!r} for type {source.type}; {hint}"
            )


def str_option(source: SourceSettings, key: str, default: str | None = None) -> str | None:
    value = source.options.get(key, default)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ConfigError(f"source {source.name!r}: {key} must be a non-empty string")
    return value.strip() if isinstance(value, str) else None


def list_option(source: SourceSettings, key: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    value = source.options.get(key)
    if value is None:
        return default
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"source {source.name!r}: {key} must be a list of strings")
    return tuple(v.strip() for v in value)


def int_option(source: SourceSettings, key: str, default: int, low: int, high: int) -> int:
    value = source.options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(
            f"source {source.name!r}: {key} = {value!r} must be a whole number from {low} to {high}"
        )
    return value


def bool_option(source: SourceSettings, key: str, default: bool) -> bool:
    value = source.options.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"source {source.name!r}: {key} must be true or false")
    return value


def quoted_or(names: tuple[str, ...]) -> str:
    """``"A" OR "B"``: each name as a phrase."""
    return " OR ".join(f'"{name}"' for name in names)


def mentions(text: str, names: tuple[str, ...]) -> bool:
    """Whether ``text`` names the school (case-insensitive, whole words)."""
    folded = text.casefold()
    for name in names:
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, name.casefold().split())) + r"(?!\w)"
        if re.search(pattern, folded):
            return True
    return False


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "div", "li"):
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment (Mastodon statuses, feed summaries); the raw stays raw."""
    if "<" not in markup:
        return html.unescape(markup)
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.parts)).strip()


def parse_time(value: Any) -> datetime:
    """An ISO-8601 or Facebook-style (``+0000``) time; raises ValueError."""
    if not isinstance(value, str):
        raise ValueError("the time is missing")
    text = value.strip().replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", text):
        text = text[:-2] + ":" + text[-2:]
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def wait_from_headers(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait: ``Retry-After`` (seconds or a date), else a rate-limit reset header."""
    now = time.time() if now is None else now
    lower = {k.lower(): v for k, v in headers.items()}
    retry_after = lower.get("retry-after")
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                return max(0.0, parsedate_to_datetime(retry_after).timestamp() - now)
            except (TypeError, ValueError):
                pass
    for key in ("x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset"):
        value = lower.get(key)
        if not value:
            continue
        try:
            number = float(value)
        except ValueError:
            try:
                return max(0.0, parse_time(value).timestamp() - now)
            except ValueError:
                continue
        # Epoch seconds (X, Bluesky) or seconds until the reset (Reddit).
        return max(0.0, number - now) if number > 1_000_000_000 else max(0.0, number)
    return None


def remaining_from_headers(headers: Mapping[str, str]) -> int | None:
    lower = {k.lower(): v for k, v in headers.items()}
    for key in ("x-rate-limit-remaining", "ratelimit-remaining", "x-ratelimit-remaining"):
        value = lower.get(key)
        if value:
            try:
                return int(float(value))
            except ValueError:
                continue
    return None


def backoff(attempt: int, retry_after: float | None, base: float = 1.0, cap: float = 60.0) -> float:
    """Exponential backoff with jitter, never shorter than the server's ``retry_after``."""
    delay: float = min(cap, base * 2**attempt) * (0.5 + random.random() / 2)
    if retry_after is not None:
        delay = max(delay, retry_after + random.random())
    return delay


def with_retries(
    call: Callable[[], T],
    sleep: Callable[[float], None],
    attempts: int = 3,
    max_wait: float = MAX_INLINE_WAIT,
) -> T:
    """Run ``call``; retry a temporary SourceError after a short backoff, else raise it."""
    for attempt in range(attempts):
        try:
            return call()
        except SourceError as exc:
            if exc.permanent or attempt == attempts - 1:
                raise
            delay = backoff(attempt, exc.retry_after)
            if delay > max_wait:
                raise
            sleep(delay)
    raise AssertionError("unreachable")


class TimeoutSession(requests.Session):
    """A requests session with a default timeout and the last response's headers at hand."""

    def __init__(self, timeout: float = TIMEOUT) -> None:
        super().__init__()
        self.timeout = timeout
        self.headers["User-Agent"] = USER_AGENT
        self.last_headers: Mapping[str, str] = {}
        self.hooks["response"].append(self._remember)

    def _remember(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.last_headers = CaseInsensitiveDict(response.headers)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


def network_error(platform: str, exc: BaseException) -> SourceError:
    kind = "timed out" if isinstance(exc, requests.Timeout) else "could not connect"
    return SourceError(f"{platform} {kind}: {type(exc).__name__}", permanent=False)


def status_error(platform: str, response: requests.Response, detail: str = "") -> SourceError:
    """A SourceError for a failed HTTP answer: 429 and 5xx are temporary, the rest permanent."""
    code = response.status_code
    extra = f": {detail}" if detail else ""
    if code == 429:
        wait = wait_from_headers(response.headers)
        return SourceError(f"{platform} rate limit reached (429){extra}", retry_after=wait)
    if code >= 500:
        return SourceError(f"{platform} server error {code}{extra}", permanent=False)
    if code in (401, 403):
        return SourceError(
            f"{platform} refused access ({code}){extra}; check the credential", permanent=True
        )
    return SourceError(f"{platform} answered {code}{extra}", permanent=True)


def get_json(
    session: requests.Session, platform: str, url: str, params: Mapping[str, Any]
) -> tuple[dict[str, Any], requests.Response]:
    """GET a JSON object; every failure is a SourceError (callers may inspect the body first)."""
    try:
        response = session.get(url, params=dict(params))
    except requests.RequestException as exc:
        raise network_error(platform, exc) from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if not response.ok:
        raise HttpFailure(response, body if isinstance(body, dict) else {})
    if not isinstance(body, dict):
        raise SourceError(f"{platform} answered with something that is not a JSON object")
    return body, response


class HttpFailure(Exception):
    """A non-2xx answer, for the connector to translate with what it knows of the platform."""

    def __init__(self, response: requests.Response, body: dict[str, Any]) -> None:
        super().__init__(response.status_code)
        self.response = response
        self.body = body


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def load_cursor(cursor: str | None) -> dict[str, Any]:
    """A JSON object cursor; anything else (absent, older format) starts afresh."""
    if not cursor:
        return {}
    try:
        value = json.loads(cursor)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def dump_cursor(value: Mapping[str, Any]) -> str:
    return json.dumps(dict(value), sort_keys=True, separators=(",", ":"))
