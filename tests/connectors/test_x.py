from __future__ import annotations

import logging
from typing import Any

import pytest

from config import ConfigError
from connectors import SourceError
from tests.connectors.conftest import Build
from tests.connectors.harnesses import X, _x_id
from tests.connectors.replay import Replay, Reply

ENV = X.env


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({}, {}, "X_BEARER_TOKEN is not set"),
        ({"querry": "x"}, ENV, "did you mean 'query'"),
        ({"max_results": 5}, ENV, "from 10 to 100"),
        ({"max_pages": "two"}, ENV, "max_pages"),
        ({"query": "a" * 513}, ENV, "512"),
    ],
)
def test_a_bad_config_is_one_clear_error(
    build: Build, options: dict[str, Any], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        build("x", options, env)


def test_the_default_query_quotes_and_ors_the_names_and_drops_retweets(
    build: Build, mock: Replay
) -> None:
    search = mock.add("GET", X.pattern, X.page([], None))
    build("x", {}, ENV).fetch(None)
    seen = search.seen[0]
    assert seen.param("query") == (
        '("Roose Community Primary School" OR "Roose Primary" OR "Roose School") -is:retweet'
    )
    assert seen.param("expansions") == "author_id" and seen.param("since_id") is None
    assert "conversation_id" in (seen.param("tweet.fields") or "").split(",")  # threads group


@pytest.mark.parametrize(
    ("includes", "author", "url"),
    [
        (True, "@a_parent", "https://x.com/a_parent/status/{id}"),
        (False, None, "https://x.com/i/web/status/{id}"),
    ],
)
def test_author_and_link_come_from_the_expansion_when_present(
    build: Build, mock: Replay, includes: bool, author: str | None, url: str
) -> None:
    reply = X.page([X.item(1)], None)
    if not includes:
        del reply.body["includes"]
    mock.add("GET", X.pattern, reply)
    post = build("x", {}, ENV).fetch(None).posts[0]
    assert post.author == author and post.url == url.format(id=_x_id(1))
    assert post.raw == X.item(1)


@pytest.mark.parametrize(("days", "sent", "warned"), [(1, True, False), (6, True, True),
                                                     (8, False, True)])  # fmt: skip
def test_an_old_cursor_warns_and_past_seven_days_is_not_sent(
    build: Build, mock: Replay, caplog: pytest.LogCaptureFixture, days: int, sent: bool,
    warned: bool,
) -> None:  # fmt: skip
    from datetime import UTC, datetime, timedelta

    old = datetime.now(UTC) - timedelta(days=days, hours=1)
    cursor = str((int(old.timestamp() * 1000) - 1288834974657) << 22)
    search = mock.add("GET", X.pattern, X.page([], None))
    with caplog.at_level(logging.WARNING, logger="connectors.x"):
        batch = build("x", {}, ENV).fetch(cursor)
    assert (search.seen[0].param("since_id") == cursor) is sent
    assert ("days old" in caplog.text) is warned
    assert batch.cursor == cursor  # nothing new: the cursor stays


def test_the_page_budget_caps_what_one_cycle_reads(
    build: Build, mock: Replay, caplog: pytest.LogCaptureFixture
) -> None:
    search = mock.add("GET", X.pattern, *X.pages([4, 3], [2, 1]))
    with caplog.at_level(logging.WARNING, logger="connectors.x"):
        batch = build("x", {"max_pages": 1, "max_results": 10}, ENV).fetch(None)
    assert len(search.seen) == 1 and search.seen[0].param("max_results") == "10"
    assert [p.external_id for p in batch.posts] == [_x_id(4), _x_id(3)]
    assert batch.cursor == _x_id(4) and "page budget" in caplog.text


def test_it_reports_the_rate_budget_left(build: Build, mock: Replay) -> None:
    mock.add("GET", X.pattern, X.page([X.item(1)], None))
    assert build("x", {}, ENV).fetch(None).rate_remaining == 448


def test_a_forbidden_search_says_why_and_is_permanent(build: Build, mock: Replay) -> None:
    body = {"title": "Forbidden", "detail": "Forbidden", "type": "about:blank", "status": 403}
    mock.add("GET", X.pattern, Reply(403, body))
    with pytest.raises(SourceError, match="access level") as caught:
        build("x", {}, ENV).fetch(None)
    assert caught.value.permanent


# X's answer when the plan's monthly cap is spent, as recorded in xdevplatform/xdk issue #25
# (account id made up); the 15-minute rate limit is far from spent.
USAGE_CAPPED = Reply(
    429,
    {"account_id": "1234567890", "product_name": "standard-basic", "title": "UsageCapExceeded",
     "period": "Monthly", "scope": "Product", "detail": "Usage cap exceeded: Monthly product cap",
     "type": "https://api.twitter.com/2/problems/usage-capped"},
    {"x-rate-limit-limit": "40000", "x-rate-limit-remaining": "39999",
     "x-rate-limit-reset": "1796360400"},
)  # fmt: skip


def test_a_spent_usage_cap_stops_the_source_until_the_period_ends_and_says_so_once(
    build: Build, mock: Replay, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    import connectors.x

    monkeypatch.setattr(connectors.x, "_CAPPED", {})
    search = mock.add("GET", X.pattern, USAGE_CAPPED)
    with caplog.at_level(logging.ERROR, logger="connectors.x"), pytest.raises(SourceError) as first:
        build("x", {}, ENV).fetch(None)
    ends = connectors.x.cap_ends(datetime.now(UTC), "Monthly", 1)
    assert not first.value.permanent and "usage cap" in str(first.value)
    wait = first.value.retry_after
    assert wait is not None and abs(wait - (ends - datetime.now(UTC)).total_seconds()) < 60
    with caplog.at_level(logging.ERROR, logger="connectors.x"), pytest.raises(SourceError) as again:
        build("x", {}, ENV).fetch(None)  # the next cycle, a new connector
    assert again.value.retry_after is not None and again.value.retry_after > 3000
    assert len(search.seen) == 1  # nothing more sent to X, nothing retried in the cycle
    assert len([r for r in caplog.records if "usage cap" in r.getMessage()]) == 1


@pytest.mark.parametrize(
    ("now", "period", "day", "ends"),
    [
        ("2026-12-04T05:55", "Monthly", 1, "2027-01-01T00:00"),
        ("2026-12-04T05:55", "Monthly", 15, "2026-12-15T00:00"),
        ("2026-11-30T23:00", "Monthly", 1, "2026-12-01T00:00"),
        ("2026-12-04T05:55", "Daily", 1, "2026-12-05T00:00"),
    ],
)
def test_the_cap_ends_at_the_next_billing_day_or_midnight(
    now: str, period: str, day: int, ends: str
) -> None:
    from datetime import UTC, datetime

    from connectors.x import cap_ends

    start = datetime.fromisoformat(now).replace(tzinfo=UTC)
    assert cap_ends(start, period, day) == datetime.fromisoformat(ends).replace(tzinfo=UTC)
