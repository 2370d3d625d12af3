from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError
from connectors import SourceError
from connectors.common import dump_cursor
from tests.connectors.conftest import Build
from tests.connectors.harnesses import BLUESKY, _bsky_session, _jwt, iso
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


_CREATE = r"https://bsky\.social/xrpc/com\.atproto\.server\.createSession"
_REFRESH = r"https://bsky\.social/xrpc/com\.atproto\.server\.refreshSession"


def test_the_login_is_kept_for_the_next_cycles(build: Build, mock: Replay) -> None:
    login = mock.add("POST", _CREATE, Reply(body=_bsky_session()))
    search = mock.add("GET", BLUESKY.pattern, BLUESKY.page([BLUESKY.item(1)], None))
    for _cycle in range(3):  # the service builds a new connector every cycle
        build("bluesky", BLUESKY.options, ENV).fetch(None)
    assert len(login.seen) == 1 and len(search.seen) == 3


def test_a_kept_session_bluesky_no_longer_takes_is_replaced_by_one_login(
    build: Build, mock: Replay
) -> None:
    from atproto_client.client.session import Session

    import connectors.bluesky

    # Left by an earlier cycle: its access token expires now, its refresh token was revoked.
    kept = Session("school.bsky.social", "did:plc:school", _jwt(60), _jwt(86400),
                   "https://bsky.social")  # fmt: skip
    connectors.bluesky._SESSIONS[("https://bsky.social", "school.bsky.social")] = kept.encode()
    revoked = {"error": "ExpiredToken", "message": "Token has been revoked"}
    refresh = mock.add("POST", _REFRESH, Reply(400, revoked))
    login = mock.add("POST", _CREATE, Reply(body=_bsky_session()))
    mock.add("GET", BLUESKY.pattern, BLUESKY.page([BLUESKY.item(1)], None))
    batch = build("bluesky", BLUESKY.options, ENV).fetch(None)
    assert [p.external_id for p in batch.posts] == [BLUESKY.external_id(1)]
    assert len(refresh.seen) == 1 and len(login.seen) == 1


def test_since_is_sent_ten_minutes_before_the_cursor(build: Build, mock: Replay) -> None:
    # since filters on sortAt, the earlier of createdAt and indexedAt: a post written at 11:55 and
    # indexed at 12:03 sorts at 11:55 and would be lost behind a cursor at 12:00.
    BLUESKY.setup(mock)
    search = mock.add("GET", BLUESKY.pattern, BLUESKY.page([], None))
    cursor = dump_cursor({'"Roose Primary"': iso(30)})
    build("bluesky", BLUESKY.options, ENV).fetch(cursor)
    assert search.seen[0].param("since") == iso(20)


def test_an_invalid_handle_links_by_did(build: Build, mock: Replay) -> None:
    BLUESKY.setup(mock)
    item = BLUESKY.item(1)
    item["author"]["handle"] = "handle.invalid"
    mock.add("GET", BLUESKY.pattern, BLUESKY.page([item], None))
    post = build("bluesky", BLUESKY.options, ENV).fetch(None).posts[0]
    assert post.url == "https://bsky.app/profile/did:plc:parent1/post/3kabc1"
    assert post.author == "did:plc:parent1"
