"""Fixtures for connector tests: a connector built from options, replayed HTTP, a fake clock."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from config import SourceSettings, load_settings
from connectors import connector_class
from connectors.common import MAX_INLINE_WAIT
from tests.connectors.replay import Replay, replay

Build = Callable[..., Any]


class Clock:
    """Wall time that moves only when something sleeps; every requested sleep is recorded."""

    def __init__(self) -> None:
        self.now = time.time()
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(0.0, seconds)


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """prawcore (and the Reddit connector's limiter) read this clock and sleep on it, so a test
    sees the waits they would make; none may block a cycle longer than MAX_INLINE_WAIT."""
    import prawcore.rate_limit
    import prawcore.sessions

    import connectors.reddit

    fake = Clock()
    namespace = SimpleNamespace(time=fake.time, sleep=fake.sleep, monotonic=time.monotonic)
    for module in (prawcore.rate_limit, prawcore.sessions, connectors.reddit):
        monkeypatch.setattr(module, "time", namespace)
    yield fake
    assert all(s <= MAX_INLINE_WAIT for s in fake.slept), f"a cycle slept {max(fake.slept)}s"


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What connectors keep in memory between cycles (Bluesky sessions, X's spent usage cap)
    starts empty in every test, as in a process just started."""
    import connectors.bluesky
    import connectors.x

    monkeypatch.setattr(connectors.bluesky, "_SESSIONS", {})
    monkeypatch.setattr(connectors.x, "_CAPPED", {})


@pytest.fixture
def build(school_dir: Path, clock: Clock) -> Build:
    """``build(type, options, env)``: the connector as ``schoolwatch fetch`` would make it."""

    def make(source_type: str, options: dict[str, Any], env: dict[str, str]) -> Any:
        settings = load_settings(school_dir / "school.toml", env)
        source = SourceSettings("under-test", source_type, 900, options, school_dir)
        connector = connector_class(source_type).from_settings(source, settings)
        connector.sleep = clock.sleep
        return connector

    return make


@pytest.fixture
def mock() -> Iterator[Replay]:
    with replay() as active:
        yield active
