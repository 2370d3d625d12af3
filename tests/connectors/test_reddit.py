from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError
from connectors import SourceError
from tests.connectors.conftest import Build
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
    assert again.posts == []


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
