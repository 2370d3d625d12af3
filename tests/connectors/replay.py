"""Replaying recorded API answers through ``responses`` (requests) and ``respx`` (httpx)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import requests
import responses
import respx


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    timeout: bool = False
    content_type: str = "application/json"

    def text(self) -> str:
        if isinstance(self.body, str):
            return self.body
        return json.dumps(self.body if self.body is not None else {})


@dataclass
class Seen:
    url: str
    params: dict[str, list[str]]
    headers: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None


class Endpoint:
    """One URL pattern with a queue of answers; the last answer repeats once the queue is spent."""

    def __init__(self, replies: list[Reply]) -> None:
        self.replies = list(replies)
        self.seen: list[Seen] = []

    def load(self, *replies: Reply) -> None:
        self.replies = list(replies)

    def next(self, url: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(url)
        self.seen.append(
            Seen(url, parse_qs(parts.query), {k.lower(): v for k, v in headers.items()})
        )
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


class Replay:
    """Routes for both transports; ``add`` returns the endpoint to load and inspect."""

    def __init__(self, mock: responses.RequestsMock, router: respx.MockRouter) -> None:
        self.mock = mock
        self.router = router

    def add(self, method: str, pattern: str, *replies: Reply) -> Endpoint:
        endpoint = Endpoint(list(replies) or [Reply()])
        regex = re.compile(pattern)

        def on_requests(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
            reply = endpoint.next(str(request.url), dict(request.headers))
            if reply.timeout:
                raise requests.exceptions.ReadTimeout("read timed out (replayed)")
            headers = {"Content-Type": reply.content_type, **reply.headers}
            return reply.status, headers, reply.text()

        def on_httpx(request: httpx.Request) -> httpx.Response:
            reply = endpoint.next(str(request.url), dict(request.headers))
            if reply.timeout:
                raise httpx.ReadTimeout("read timed out (replayed)", request=request)
            headers = {"content-type": reply.content_type, **reply.headers}
            return httpx.Response(reply.status, headers=headers, text=reply.text())

        self.mock.add_callback(method, regex, callback=on_requests)
        self.router.route(method=method, url__regex=pattern).mock(side_effect=on_httpx)
        return endpoint


@contextmanager
def replay() -> Iterator[Replay]:
    with (
        responses.RequestsMock(assert_all_requests_are_fired=False) as mock,
        respx.mock(assert_all_called=False, assert_all_mocked=True) as router,
    ):
        yield Replay(mock, router)


Recorder = Callable[[float], None]
