from __future__ import annotations

from typing import Any

import pytest

from config import ConfigError
from connectors import SourceError
from tests.connectors.conftest import Build
from tests.connectors.harnesses import RSS, _rss_item
from tests.connectors.replay import Replay, Reply

FEED = RSS.options
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Council alerts</title>
<id>urn:uuid:council</id><updated>2026-11-20T09:00:00Z</updated>
<entry><title>Road closure near Roose School</title><id>urn:uuid:alert-1</id>
<link href="https://council.example/alerts/1"/><updated>2026-11-20T09:00:00Z</updated>
<author><name>Highways</name></author><summary>Closed &lt;b&gt;all day&lt;/b&gt;.</summary></entry>
</feed>"""


@pytest.mark.parametrize(
    ("options", "message"),
    [({}, "needs url"), ({"url": "feed.xml"}, "needs url"), ({**FEED, "match": 1}, "unknown key")],
)
def test_a_bad_config_is_one_clear_error(
    build: Build, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        build("rss", options, {})


@pytest.mark.parametrize(("match_names", "kept"), [(True, 1), (False, 2)])
def test_entries_are_kept_when_they_name_the_school(
    build: Build, mock: Replay, match_names: bool, kept: int
) -> None:
    other = (
        _rss_item(2)
        .replace("Roose Primary post 2", "Bin collections change")
        .replace("Parents queued at Roose Primary.", "Tuesday now.")
    )
    mock.add("GET", RSS.pattern, RSS.page([_rss_item(1), other], None))
    batch = build("rss", {**FEED, "match_names": match_names}, {}).fetch(None)
    assert len(batch.posts) == kept
    assert batch.posts[0].text == ("Roose Primary post 1: nativity tickets are on sale\n\n"
                                   "Parents queued at Roose Primary.")  # fmt: skip


def test_an_atom_feed_is_read_too(build: Build, mock: Replay) -> None:
    mock.add("GET", RSS.pattern, Reply(body=ATOM, content_type="application/atom+xml"))
    post = build("rss", FEED, {}).fetch(None).posts[0]
    assert (post.external_id, post.author, post.url) == (
        "urn:uuid:alert-1", "Highways", "https://council.example/alerts/1")  # fmt: skip
    assert post.text.endswith("Closed all day.")
    assert (
        post.created_at is not None and post.created_at.isoformat() == "2026-11-20T09:00:00+00:00"
    )


def test_a_page_that_is_not_a_feed_is_a_permanent_error(build: Build, mock: Replay) -> None:
    mock.add(
        "GET",
        RSS.pattern,
        Reply(body="<html><body><h1>Barrow news</h1></body></html>", content_type="text/html"),
    )
    with pytest.raises(SourceError, match="not an RSS or Atom feed") as caught:
        build("rss", FEED, {}).fetch(None)
    assert caught.value.permanent


def test_a_missing_feed_is_permanent(build: Build, mock: Replay) -> None:
    mock.add("GET", RSS.pattern, Reply(404, "gone", content_type="text/html"))
    with pytest.raises(SourceError) as caught:
        build("rss", FEED, {}).fetch(None)
    assert caught.value.permanent
