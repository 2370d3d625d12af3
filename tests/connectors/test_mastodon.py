from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError
from connectors import SourceError
from tests.connectors.conftest import Build
from tests.connectors.harnesses import MASTODON, _md_item
from tests.connectors.replay import Replay, Reply

INSTANCE = {"instance": "https://mastodon.example"}


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({}, {}, "needs instance"),
        ({"instance": "mastodon.example"}, {}, "needs instance"),
        ({**INSTANCE, "search": True}, {}, "MASTODON_ACCESS_TOKEN"),
        ({**INSTANCE, "hashtag": ["x"]}, {}, "did you mean 'hashtags'"),
        ({**INSTANCE, "search": "yes"}, {}, "true or false"),
    ],
)
def test_a_bad_config_is_one_clear_error(
    build: Build, options: dict[str, Any], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        build("mastodon", options, env)


def test_default_hashtags_are_the_names_without_spaces(build: Build, mock: Replay) -> None:
    tags = mock.add("GET", r"https://mastodon\.example/api/v1/timelines/tag/\w+", Reply(body=[]))
    build("mastodon", INSTANCE, {}).fetch(None)
    assert [s.url.split("/tag/")[1].split("?")[0] for s in tags.seen] == [
        "RooseCommunityPrimarySchool", "RoosePrimary", "RooseSchool"]  # fmt: skip


def test_status_html_becomes_text_and_the_raw_keeps_it(build: Build, mock: Replay) -> None:
    mock.add("GET", MASTODON.pattern, MASTODON.page([_md_item(1)], None))
    post = build("mastodon", MASTODON.options, {}).fetch(None).posts[0]
    assert post.text == "Roose Primary post 1: nativity tickets are on sale #RoosePrimary"
    assert post.raw is not None and post.raw["content"].startswith("<p>")
    assert (
        post.author == "@parent"
        and post.url == "https://mastodon.example/@parent/109440153064280001"
    )


def test_search_keeps_statuses_that_name_the_school(build: Build, mock: Replay) -> None:
    mock.add("GET", MASTODON.pattern, MASTODON.page([], None))
    other = {**_md_item(7), "content": "<p>Nothing to do with anyone</p>",
             "uri": "https://mastodon.example/users/parent/statuses/7"}  # fmt: skip
    search = mock.add("GET", r"https://mastodon\.example/api/v2/search",
                      Reply(body={"accounts": [], "hashtags": [],
                                  "statuses": [_md_item(5), other]}))  # fmt: skip
    options = {**MASTODON.options, "search": True}
    batch = build("mastodon", options, {"MASTODON_ACCESS_TOKEN": "<TOKEN>"}).fetch(None)
    assert [p.external_id for p in batch.posts] == [_md_item(5)["uri"]]
    assert search.seen[0].param("type") == "statuses" and len(search.seen) == 3


def test_paging_back_stops_at_the_last_cycles_newest_status(build: Build, mock: Replay) -> None:
    timeline = mock.add("GET", MASTODON.pattern, *MASTODON.pages([2, 1]))
    connector = build("mastodon", MASTODON.options, {})
    first = connector.fetch(None)
    # The server honours since_id on the first page only; the next link pages back past it.
    timeline.load(*MASTODON.pages([4, 3], [2, 1]))
    second = connector.fetch(first.cursor)
    assert [p.external_id for p in second.posts] == [_md_item(4)["uri"], _md_item(3)["uri"]]


# What an instance answers when its hashtag timelines are for logged-in users only (Mastodon's
# Api::BaseController#require_user!, "timeline preview" off).
_LOGIN_REQUIRED = Reply(401, {"error": "This method requires an authenticated user"})


def test_an_instance_that_requires_login_says_so_when_no_token_was_given(
    build: Build, mock: Replay
) -> None:
    mock.add("GET", MASTODON.pattern, _LOGIN_REQUIRED)
    with pytest.raises(SourceError) as caught:
        build("mastodon", MASTODON.options, {}).fetch(None)
    message = str(caught.value)
    assert "https://mastodon.example requires login to read the #RoosePrimary timeline" in message
    assert "refused" not in message and caught.value.permanent


def test_a_refused_token_is_named_when_one_was_given(build: Build, mock: Replay) -> None:
    mock.add("GET", MASTODON.pattern, _LOGIN_REQUIRED)
    with pytest.raises(SourceError, match="refused MASTODON_ACCESS_TOKEN") as caught:
        build("mastodon", MASTODON.options, {"MASTODON_ACCESS_TOKEN": "<TOKEN>"}).fetch(None)
    assert caught.value.permanent
