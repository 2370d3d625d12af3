from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError
from connectors import SourceError
from tests.connectors.conftest import Build
from tests.connectors.harnesses import BLUESKY
from tests.connectors.replay import Replay, Reply

ENV = BLUESKY.env


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({}, {"BLUESKY_HANDLE": "a.bsky.social"}, "BLUESKY_APP_PASSWORD"),
        ({}, {}, "BLUESKY_HANDLE"),
        ({"query": "x"}, ENV, "did you mean 'queries'"),
        ({"queries": [""]}, ENV, "list of strings"),
    ],
)
def test_a_bad_config_is_one_clear_error(
    build: Build, options: dict[str, Any], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        build("bluesky", options, env)


def test_it_searches_each_name_as_a_phrase_latest_first(build: Build, mock: Replay) -> None:
    BLUESKY.setup(mock)
    search = mock.add("GET", BLUESKY.pattern, BLUESKY.page([], None))
    build("bluesky", {}, ENV).fetch(None)
    assert [s.param("q") for s in search.seen] == [
        '"Roose Community Primary School"', '"Roose Primary"', '"Roose School"']  # fmt: skip
    assert {s.param("sort") for s in search.seen} == {"latest"}


def test_a_post_links_to_its_page_on_bsky_app(build: Build, mock: Replay) -> None:
    BLUESKY.setup(mock)
    mock.add("GET", BLUESKY.pattern, BLUESKY.page([BLUESKY.item(1)], None))
    batch = build("bluesky", BLUESKY.options, ENV).fetch(None)
    post = batch.posts[0]
    assert post.url == "https://bsky.app/profile/parent.bsky.social/post/3kabc1"
    assert post.author == "@parent.bsky.social" and batch.rate_remaining == 2990


def test_a_refused_login_names_the_variables_and_is_permanent(build: Build, mock: Replay) -> None:
    mock.add("POST", r"https://bsky\.social/xrpc/com\.atproto\.server\.createSession",
             Reply(401, {"error": "AuthenticationRequired",
                         "message": "Invalid identifier or password"}))  # fmt: skip
    with pytest.raises(SourceError, match="BLUESKY_APP_PASSWORD") as caught:
        build("bluesky", BLUESKY.options, ENV).fetch(None)
    assert caught.value.permanent
