"""Fixtures for connector tests: a connector built from options, replayed HTTP, no SDK sleeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from config import SourceSettings, load_settings
from connectors import connector_class
from tests.connectors.replay import Replay, replay

Build = Callable[..., Any]


@pytest.fixture(autouse=True)
def _no_sdk_sleeps(monkeypatch: pytest.MonkeyPatch) -> None:
    """prawcore sleeps between its own retries and before rate-limited calls."""
    import prawcore.rate_limit
    import prawcore.sessions

    monkeypatch.setattr(prawcore.sessions.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(prawcore.rate_limit.time, "sleep", lambda seconds: None)


@pytest.fixture
def build(school_dir: Path) -> Build:
    """``build(type, options, env)``: the connector as ``schoolwatch fetch`` would make it."""

    def make(source_type: str, options: dict[str, Any], env: dict[str, str]) -> Any:
        settings = load_settings(school_dir / "school.toml", env)
        source = SourceSettings("under-test", source_type, 900, options, school_dir)
        connector = connector_class(source_type).from_settings(source, settings)
        connector.sleep = lambda seconds: None
        return connector

    return make


@pytest.fixture
def mock() -> Iterator[Replay]:
    with replay() as active:
        yield active
