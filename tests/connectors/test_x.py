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
