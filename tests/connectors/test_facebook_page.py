from __future__ import annotations

import json
from typing import Any

import pytest

from config import ConfigError
from connectors import SourceError
from tests.connectors.conftest import Build
from tests.connectors.harnesses import FACEBOOK, at
from tests.connectors.replay import Replay, Reply

ENV = FACEBOOK.env
PAGE = {"page_id": "104000000000001"}


def _comment(n: int, message: str) -> dict[str, Any]:
    return {"id": f"{900 + n}_55{n}", "message": message,
            "created_time": at(n).strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "permalink_url": f"https://www.facebook.com/104000000000001/posts/901?comment_id=55{n}",
            "from": {"name": "A Parent", "id": "5550001"}}  # fmt: skip


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({}, ENV, "needs page_id"),
        (PAGE, {}, "FACEBOOK_PAGE_TOKEN"),
        ({**PAGE, "comment": True}, ENV, "did you mean 'comments'"),
    ],
)
def test_a_bad_config_is_one_clear_error(
    build: Build, options: dict[str, Any], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        build("facebook_page", options, env)


def test_it_reads_the_posts_and_their_comments(build: Build, mock: Replay) -> None:
    photo = {"id": "104000000000001_950", "created_time": "2026-11-25T09:00:00+0000"}
    mock.add("GET", FACEBOOK.pattern, FACEBOOK.page([FACEBOOK.item(1), photo], None))
    comments = mock.add(
        "GET", r"https://graph\.facebook\.com/v19\.0/104000000000001_\d+/comments",
        Reply(body={"data": [_comment(3, "Mrs W never answers emails"),
                             _comment(2, "Lovely photos")], "paging": {}}),
    )  # fmt: skip
    connector = build("facebook_page", PAGE, ENV)
    batch = connector.fetch(None)
    assert [p.text for p in batch.posts] == [
        "Roose Primary post 1: nativity tickets are on sale", "Mrs W never answers emails",
        "Lovely photos"]  # fmt: skip
    assert batch.skipped == []  # a photo without text is not an error
    assert comments.seen[0].param("filter") == "stream"
    assert batch.posts[1].author == "A Parent" and batch.rate_remaining == 96
    again = connector.fetch(batch.cursor)
    assert again.posts == []


def test_an_expired_token_is_permanent_and_names_the_variable(build: Build, mock: Replay) -> None:
    body = {"error": {"message": "Error validating access token: Session has expired",
                      "type": "OAuthException", "code": 190, "error_subcode": 463,
                      "fbtrace_id": "AbCdEf"}}  # fmt: skip
    mock.add("GET", FACEBOOK.pattern, Reply(400, body))
    with pytest.raises(SourceError, match="FACEBOOK_PAGE_TOKEN") as caught:
        build("facebook_page", PAGE, ENV).fetch(None)
    assert caught.value.permanent


def test_throttling_waits_as_long_as_facebook_estimates(build: Build, mock: Replay) -> None:
    reply = FACEBOOK.rate_limited(600)
    mock.add("GET", FACEBOOK.pattern, reply)
    with pytest.raises(SourceError) as caught:
        build("facebook_page", PAGE, ENV).fetch(None)
    usage = json.loads(reply.headers["x-business-use-case-usage"])
    assert usage["104000000000001"][0]["estimated_time_to_regain_access"] == 10
    assert caught.value.retry_after == 600 and not caught.value.permanent
