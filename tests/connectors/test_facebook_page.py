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


def _with_comments(item: dict[str, Any], comments: list[dict[str, Any]],
                   more: bool = False) -> dict[str, Any]:  # fmt: skip
    """A feed item with its comments nested, as the Graph API answers a field expansion."""
    post_id = item["id"]
    paging: dict[str, Any] = {"cursors": {"before": "QVFIUmJlZm9yZQ", "after": "QVFIUmFmdGVyMg"}}
    if more:
        paging["next"] = (f"https://graph.facebook.com/v26.0/{post_id}/comments?access_token="
                          "<PAGE_TOKEN>&limit=2&after=QVFIUmFmdGVyMg")  # fmt: skip
    return {**item, "comments": {"data": comments, "paging": paging}}


def test_it_reads_the_posts_and_their_comments_in_one_call(build: Build, mock: Replay) -> None:
    photo = {"id": "104000000000001_950", "created_time": "2026-11-25T09:00:00+0000"}
    item = _with_comments(FACEBOOK.item(1), [_comment(3, "Mrs W never answers emails"),
                                             _comment(2, "Lovely photos")])  # fmt: skip
    feed = mock.add("GET", FACEBOOK.pattern, FACEBOOK.page([item, photo], None))
    comments = mock.add("GET", r"https://graph\.facebook\.com/v26\.0/\d+/comments")
    connector = build("facebook_page", PAGE, ENV)
    batch = connector.fetch(None)
    assert [p.text for p in batch.posts] == [
        "Roose Primary post 1: nativity tickets are on sale", "Mrs W never answers emails",
        "Lovely photos"]  # fmt: skip
    assert batch.skipped == []  # a photo without text is not an error
    assert comments.seen == [] and len(feed.seen) == 1
    assert (feed.seen[0].param("fields") or "").endswith(
        ",comments.order(reverse_chronological).limit(25)"
        "{id,message,created_time,permalink_url,from}")  # fmt: skip
    assert batch.posts[1].author == "A Parent" and batch.rate_remaining == 96
    assert batch.posts[0].raw is not None and "comments" not in batch.posts[0].raw
    again = connector.fetch(batch.cursor)
    assert again.posts == []


def test_a_full_first_page_of_posts_is_not_followed_by_a_second(build: Build, mock: Replay) -> None:
    feed = mock.add("GET", FACEBOOK.pattern,
                    *FACEBOOK.pages(list(range(30, 5, -1)), [5, 4]))  # fmt: skip
    batch = build("facebook_page", {**PAGE, "comments": False}, ENV).fetch(None)
    assert len(feed.seen) == 1 and feed.seen[0].param("limit") == "25"
    assert len(batch.posts) == 25


def test_more_comments_are_read_only_when_every_nested_one_is_new(
    build: Build, mock: Replay
) -> None:
    from connectors.common import dump_cursor

    busy = _with_comments(FACEBOOK.item(1), [_comment(9, "one"), _comment(8, "two")], more=True)
    quiet = _with_comments(FACEBOOK.item(0), [_comment(6, "old"), _comment(5, "older")], more=True)
    mock.add("GET", FACEBOOK.pattern, FACEBOOK.page([busy, quiet], None))
    edge = mock.add("GET", r"https://graph\.facebook\.com/v26\.0/104000000000001_901/comments",
                    Reply(body={"data": [_comment(7, "three")], "paging": {}}))  # fmt: skip
    cursor = dump_cursor({"since": at(6).isoformat()})
    batch = build("facebook_page", {**PAGE, "comments_per_post": 2}, ENV).fetch(cursor)
    assert [p.text for p in batch.posts] == ["one", "two", "three"]
    assert len(edge.seen) == 1 and edge.seen[0].param("after") == "QVFIUmFmdGVyMg"


def test_a_nearly_spent_call_budget_stops_the_cycle_and_asks_for_a_rest(
    build: Build, mock: Replay
) -> None:
    first, second = FACEBOOK.pages([4, 3], [2, 1])
    usage = {
        "104000000000001": [
            {
                "type": "pages",
                "call_count": 93,
                "total_cputime": 12,
                "total_time": 20,
                "estimated_time_to_regain_access": 0,
            }
        ]
    }
    first.headers["x-business-use-case-usage"] = json.dumps(usage)  # fmt: skip
    feed = mock.add("GET", FACEBOOK.pattern, first, second)
    batch = build("facebook_page", {**PAGE, "comments": False, "posts_per_cycle": 4}, ENV).fetch(
        None
    )
    assert len(feed.seen) == 1 and len(batch.posts) == 2
    assert batch.rate_remaining == 7
    assert batch.pause is not None and batch.pause >= 3600


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
