from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError
from connectors import SourceError
from tests.connectors.conftest import Build
from tests.connectors.harnesses import YOUTUBE, _yt_item
from tests.connectors.replay import Replay, Reply

ENV = YOUTUBE.env
CHANNEL = YOUTUBE.options


def _error(code: int, reason: str, message: str) -> Reply:
    body = {"error": {"code": code, "message": message, "errors": [
        {"message": message, "domain": "youtube.quota", "reason": reason}]}}  # fmt: skip
    return Reply(code, body)


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        ({}, ENV, "needs channel_id"),
        (CHANNEL, {}, "YOUTUBE_API_KEY"),
        ({**CHANNEL, "video_id": "x"}, ENV, "did you mean 'video_ids'"),
        ({**CHANNEL, "daily_quota": 0}, ENV, "daily_quota"),
    ],
)
def test_a_bad_config_is_one_clear_error(
    build: Build, options: dict[str, Any], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        build("youtube", options, env)


def test_it_reads_the_channel_and_each_video(build: Build, mock: Replay) -> None:
    threads = mock.add("GET", YOUTUBE.pattern, YOUTUBE.page([], None))
    build("youtube", {**CHANNEL, "video_ids": ["dQw4w9WgXcQ"]}, ENV).fetch(None)
    assert threads.seen[0].param("allThreadsRelatedToChannelId") == CHANNEL["channel_id"]
    assert threads.seen[1].param("videoId") == "dQw4w9WgXcQ"
    assert {s.param("order") for s in threads.seen} == {"time"}


@pytest.mark.parametrize(("match_names", "kept"), [(True, 1), (False, 2)])
def test_comments_are_filtered_by_the_school_names_unless_told_not_to(
    build: Build, mock: Replay, match_names: bool, kept: int
) -> None:
    other = _yt_item(1)
    other["snippet"]["topLevelComment"]["snippet"]["textOriginal"] = "Lovely song"
    mock.add("GET", YOUTUBE.pattern, YOUTUBE.page([_yt_item(2), other], None))
    batch = build("youtube", {**CHANNEL, "match_names": match_names}, ENV).fetch(None)
    assert len(batch.posts) == kept
    assert batch.posts[0].url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ&lc=UgzKq2AaBb"


def test_it_stops_at_its_own_daily_quota_and_waits_for_the_reset(
    build: Build, mock: Replay
) -> None:
    threads = mock.add("GET", YOUTUBE.pattern, *YOUTUBE.pages([4, 3], [2, 1]))
    connector = build("youtube", {**CHANNEL, "daily_quota": 1}, ENV)
    batch = connector.fetch(None)
    assert len(threads.seen) == 1 and batch.rate_remaining == 0
    with pytest.raises(SourceError, match="quota") as caught:
        connector.fetch(batch.cursor)
    assert not caught.value.permanent and (caught.value.retry_after or 0) > 0
    assert len(threads.seen) == 1


def test_the_quota_spent_at_google_is_temporary_until_midnight_pacific(
    build: Build, mock: Replay
) -> None:
    mock.add("GET", YOUTUBE.pattern, _error(403, "quotaExceeded", "The request cannot be "
             "completed because you have exceeded your quota."))  # fmt: skip
    with pytest.raises(SourceError) as caught:
        build("youtube", CHANNEL, ENV).fetch(None)
    assert not caught.value.permanent
    assert 0 < (caught.value.retry_after or 0) <= 86400


def test_a_bad_key_is_permanent_and_names_the_variable(build: Build, mock: Replay) -> None:
    mock.add(
        "GET",
        YOUTUBE.pattern,
        _error(400, "keyInvalid", "API key not valid. Please pass a valid API key."),
    )
    with pytest.raises(SourceError, match="YOUTUBE_API_KEY") as caught:
        build("youtube", CHANNEL, ENV).fetch(None)
    assert caught.value.permanent


def test_every_retried_request_counts_against_the_quota(build: Build, mock: Replay) -> None:
    mock.add("GET", YOUTUBE.pattern, Reply(503, {"error": {"code": 503, "message": "busy"}}),
             *YOUTUBE.pages([1]))  # fmt: skip
    batch = build("youtube", {**CHANNEL, "daily_quota": 100}, ENV).fetch(None)
    assert len(batch.posts) == 1 and batch.rate_remaining == 98


def test_a_video_with_comments_turned_off_is_skipped_and_the_others_are_read(
    build: Build, mock: Replay
) -> None:
    message = ("The video identified by the <code><a href=\"/youtube/v3/docs/commentThreads/list"
               "#videoId\">videoId</a></code> parameter has disabled comments.")  # fmt: skip
    mock.add(
        "GET",
        YOUTUBE.pattern,
        _error(403, "commentsDisabled", message),
        YOUTUBE.page([_yt_item(1)], None),
    )
    batch = build("youtube", {"video_ids": ["offVideo0001", "dQw4w9WgXcQ"]}, ENV).fetch(None)
    assert [p.external_id for p in batch.posts] == ["UgzKq1AaBb"]
    assert [s.where for s in batch.skipped] == ["youtube offVideo0001"]
    assert "turned off" in batch.skipped[0].reason
