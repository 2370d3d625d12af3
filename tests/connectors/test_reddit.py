from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError
from connectors import SourceError
from connectors.common import dump_cursor
from tests.connectors.conftest import Build, Clock
from tests.connectors.harnesses import REDDIT, at
from tests.connectors.replay import Replay, Reply

ENV = REDDIT.env


def _comment(n: int, body: str) -> dict[str, Any]:
    return {"kind": "t1", "data": {
        "id": f"kc{n}", "name": f"t1_kc{n}", "body": body, "author": "local_mum",
        "created_utc": at(n).timestamp(), "link_id": "t3_1ab1", "subreddit": "BarrowInFurness",
        "permalink": f"/r/BarrowInFurness/comments/1ab1/x/kc{n}/", "score": 1}}  # fmt: skip


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({}, {k: v for k, v in ENV.items() if k != "REDDIT_USER_AGENT"}, "REDDIT_USER_AGENT"),
        ({}, {}, "REDDIT_CLIENT_ID"),
        ({"subreddit": ["x"]}, ENV, "did you mean 'subreddits'"),
        ({"comment_subreddits": 3}, ENV, "list of strings"),
        ({"max_pages": 0}, ENV, "from 1 to 20"),
        ({"query": "Roose " * 86}, ENV, "515 characters and Reddit allows 512"),
    ],
)
def test_a_bad_config_is_one_clear_error(
    build: Build, options: dict[str, Any], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        build("reddit", options, env)


def test_local_comments_are_kept_only_when_they_name_the_school(build: Build, mock: Replay) -> None:
    REDDIT.setup(mock)
    mock.add("GET", REDDIT.pattern.replace("all", "BarrowInFurness"), REDDIT.page([], None))
    comments = mock.add(
        "GET",
        r"https://oauth\.reddit\.com/r/BarrowInFurness/comments",
        REDDIT.page([_comment(2, "Avoid Roose Primary, honestly"),
                     _comment(1, "Roadworks on Abbey Road again")], None),
    )  # fmt: skip
    connector = build("reddit", {"subreddits": ["BarrowInFurness"],
                                 "comment_subreddits": ["BarrowInFurness"]}, ENV)  # fmt: skip
    batch = connector.fetch(None)
    assert [p.external_id for p in batch.posts] == ["t1_kc2"]
    post = batch.posts[0]
    assert post.author == "u/local_mum"
    assert post.url == "https://www.reddit.com/r/BarrowInFurness/comments/1ab1/x/kc2/"
    assert comments.seen[0].param("limit") == "100"
    again = connector.fetch(batch.cursor)
    # Re-read: it is inside the overlap below the cursor; storage ignores a post seen twice.
    assert [p.external_id for p in again.posts] == ["t1_kc2"]


def test_listed_subreddits_are_searched_together_and_restricted(build: Build, mock: Replay) -> None:
    REDDIT.setup(mock)
    search = mock.add("GET", r"https://oauth\.reddit\.com/r/BarrowInFurness\+Cumbria/search",
                      REDDIT.page([REDDIT.item(1)], None))  # fmt: skip
    batch = build("reddit", {"subreddits": ["BarrowInFurness", "Cumbria"]}, ENV).fetch(None)
    seen = search.seen[0]
    assert seen.param("restrict_sr") == "true" and seen.param("sort") == "new"
    assert (
        seen.param("q") == '"Roose Community Primary School" OR "Roose Primary" OR "Roose School"'
    )
    assert batch.rate_remaining == 98


def test_a_private_subreddit_is_a_permanent_error(build: Build, mock: Replay) -> None:
    REDDIT.setup(mock)
    mock.add("GET", REDDIT.pattern, Reply(403, {"reason": "private", "message": "Forbidden",
                                                "error": 403}))  # fmt: skip
    with pytest.raises(SourceError, match="private") as caught:
        build("reddit", {}, ENV).fetch(None)
    assert caught.value.permanent


def test_refused_app_credentials_are_permanent(build: Build, mock: Replay) -> None:
    mock.add("POST", r"https://www\.reddit\.com/api/v1/access_token",
             Reply(401, {"message": "Unauthorized", "error": 401}))  # fmt: skip
    mock.add("GET", REDDIT.pattern, REDDIT.page([], None))
    with pytest.raises(SourceError, match="REDDIT_CLIENT_SECRET") as caught:
        build("reddit", {}, ENV).fetch(None)
    assert caught.value.permanent


def test_a_spent_budget_defers_the_source_instead_of_sleeping_till_the_reset(
    build: Build, mock: Replay, clock: Clock
) -> None:
    REDDIT.setup(mock)
    spent = REDDIT.page([REDDIT.item(4)], "t3_1ab4")
    spent.headers.update({"x-ratelimit-remaining": "0.0", "x-ratelimit-used": "100",
                          "x-ratelimit-reset": "540"})  # fmt: skip
    search = mock.add("GET", REDDIT.pattern, spent, REDDIT.page([REDDIT.item(3)], None))
    with pytest.raises(SourceError, match="resets in 540s") as caught:
        build("reddit", {}, ENV).fetch(None)
    assert not caught.value.permanent
    assert caught.value.retry_after is not None and caught.value.retry_after > 500
    assert len(search.seen) == 1
    assert clock.slept == []


def test_a_persistent_503_is_tried_three_times_not_nine(
    build: Build, mock: Replay, clock: Clock
) -> None:
    REDDIT.setup(mock)
    search = mock.add("GET", REDDIT.pattern, Reply(503, "<html>Service Unavailable</html>"))
    with pytest.raises(SourceError, match="503") as caught:
        build("reddit", {}, ENV).fetch(None)
    assert not caught.value.permanent
    assert len(search.seen) == 3
    assert len(clock.slept) == 2


def test_a_429_from_the_token_endpoint_is_a_rate_limit_not_a_bad_credential(
    build: Build, mock: Replay
) -> None:
    # Reddit's token endpoint over its budget: the status and body reported in issue #14.
    mock.add("POST", r"https://www\.reddit\.com/api/v1/access_token",
             Reply(429, {"message": "Too Many Requests", "error": 429}))  # fmt: skip
    listing = mock.add("GET", REDDIT.pattern, REDDIT.page([], None))
    with pytest.raises(SourceError, match="rate limit") as caught:
        build("reddit", {}, ENV).fetch(None)
    assert not caught.value.permanent
    assert caught.value.retry_after is not None and caught.value.retry_after > 30
    assert listing.seen == []


def test_a_deleted_author_is_no_author(build: Build, mock: Replay) -> None:
    REDDIT.setup(mock)
    item = REDDIT.item(1)
    item["data"]["author"] = "[deleted]"
    mock.add("GET", REDDIT.pattern, REDDIT.page([item], None))
    batch = build("reddit", {}, ENV).fetch(None)
    assert [p.author for p in batch.posts] == [None]


def test_a_post_indexed_late_just_below_the_cursor_is_still_read(
    build: Build, mock: Replay
) -> None:
    REDDIT.setup(mock)
    # Item 8 was posted before item 10, the newest of the last cycle, but searchable only now;
    # item -5 is 15 minutes older than the cursor and was read then.
    mock.add("GET", REDDIT.pattern, REDDIT.page([REDDIT.item(n) for n in (12, 8, -5)], None))
    cursor = dump_cursor({"search": at(10).timestamp()})
    batch = build("reddit", {}, ENV).fetch(cursor)
    assert [p.external_id for p in batch.posts] == ["t3_1ab12", "t3_1ab8"]
