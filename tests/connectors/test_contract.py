"""One contract, every platform connector: replayed API answers in, a Batch or a SourceError out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from config import SourceSettings, load_settings
from connectors import Batch, SourceError, connector_class
from tests.connectors.conftest import Clock
from tests.connectors.harnesses import HARNESSES, Harness
from tests.connectors.replay import Endpoint, Replay, Reply, replay


class Run:
    def __init__(self, harness: Harness, school_dir: Path, mock: Replay, clock: Clock) -> None:
        self.harness = harness
        settings = load_settings(school_dir / "school.toml", harness.env)
        source = SourceSettings("under-test", harness.type, 900, harness.options, school_dir)
        self.connector: Any = connector_class(harness.type).from_settings(source, settings)
        self.slept: list[float] = []
        self.clock = clock

        def sleep(seconds: float) -> None:
            self.slept.append(seconds)
            clock.sleep(seconds)

        self.connector.sleep = sleep
        harness.setup(mock)
        self.endpoint: Endpoint = mock.add(harness.method, harness.pattern)

    def fetch(self, *replies: Reply, cursor: str | None = None) -> Batch:
        self.endpoint.load(*replies)
        batch: Batch = self.connector.fetch(cursor)
        return batch

    def ids(self, batch: Batch) -> list[str]:
        return [p.external_id for p in batch.posts]


@pytest.fixture(params=HARNESSES, ids=[h.type for h in HARNESSES])
def run(request: pytest.FixtureRequest, school_dir: Path, clock: Clock) -> Iterator[Run]:
    with replay() as mock:
        yield Run(request.param, school_dir, mock, clock)


SHORT = [h for h in HARNESSES if h.short_waits]


@pytest.fixture(params=SHORT, ids=[h.type for h in SHORT])
def short_run(request: pytest.FixtureRequest, school_dir: Path, clock: Clock) -> Iterator[Run]:
    """Platforms that announce waits in seconds (Facebook announces minutes)."""
    with replay() as mock:
        yield Run(request.param, school_dir, mock, clock)


def test_an_empty_result_is_an_empty_batch(run: Run) -> None:
    batch = run.fetch(run.harness.page([], None))
    assert batch.posts == [] and batch.skipped == []


def test_it_reads_two_pages(run: Run) -> None:
    h = run.harness
    batch = run.fetch(*h.pages([4, 3], [2, 1]))
    assert run.ids(batch) == [h.external_id(n) for n in (4, 3, 2, 1)]
    assert len(run.endpoint.seen) == h.two_page_requests
    post = batch.posts[0]
    assert post.text.startswith("Roose Primary post 4") and post.url and post.raw
    assert post.created_at is not None


def test_it_waits_out_a_429_then_succeeds(short_run: Run) -> None:
    h = short_run.harness
    batch = short_run.fetch(h.rate_limited(2), *h.pages([1]))
    assert short_run.ids(batch) == [h.external_id(1)]
    assert len(short_run.slept) == 1 and short_run.slept[0] >= 1.0


def test_a_long_rate_limit_wait_is_left_to_the_scheduler(run: Run) -> None:
    with pytest.raises(SourceError) as caught:
        run.fetch(run.harness.rate_limited(3600))
    assert not caught.value.permanent
    assert caught.value.retry_after is not None and caught.value.retry_after >= 3000
    assert run.slept == []


def test_a_500_is_a_temporary_error(run: Run) -> None:
    with pytest.raises(SourceError) as caught:
        run.fetch(Reply(500, {"error": "internal"}))
    assert not caught.value.permanent
    assert len(run.slept) == 2  # two short retries inside the cycle, then the scheduler's turn


def test_a_timeout_is_a_temporary_error(run: Run) -> None:
    with pytest.raises(SourceError) as caught:
        run.fetch(Reply(timeout=True))
    assert not caught.value.permanent


def test_a_refused_credential_is_permanent(run: Run) -> None:
    with pytest.raises(SourceError) as caught:
        run.fetch(
            Reply(
                401,
                {"error": "AuthenticationRequired", "message": "Invalid token"},
                {"www-authenticate": 'Bearer realm="reddit", error="invalid_token"'},
            )
        )
    assert caught.value.permanent


def test_a_malformed_item_is_skipped_counted_and_the_rest_kept(run: Run) -> None:
    h = run.harness
    batch = run.fetch(h.page([h.item(3), h.malformed, h.item(1)], None))
    assert run.ids(batch) == [h.external_id(3), h.external_id(1)]
    assert len(batch.skipped) == 1 and "2" in batch.skipped[0].where


def test_the_cursor_resumes_where_the_last_cycle_stopped(run: Run) -> None:
    h = run.harness
    first = run.fetch(*h.pages([2, 1]))
    assert first.cursor is not None
    resume = h.resume_reply or h.page([h.item(n) for n in h.resume], None)
    second = run.fetch(resume, cursor=first.cursor)
    assert h.cursor_sent(run.endpoint.seen[-1])
    expected = [h.external_id(n) for n in (4, 3)][: len(h.resume)]
    assert run.ids(second) == expected + [h.external_id(n) for n in h.reread]
    assert second.cursor is not None
