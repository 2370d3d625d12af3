from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import ConfigError, SourceSettings, load_settings
from connectors import SourceError, connector_class
from connectors.jsonl import JsonlConnector


def _connector(school_dir: Path) -> JsonlConnector:
    settings = load_settings(school_dir / "school.toml", {})
    connector = connector_class("jsonl").from_settings(settings.source("imported"), settings)
    assert isinstance(connector, JsonlConnector)
    return connector


def test_it_reads_posts_in_the_classify_format(school_dir: Path) -> None:
    (school_dir / "posts.jsonl").write_text(
        json.dumps({"id": "1", "text": "hello", "platform": "x", "author": "a",
                    "url": "https://x.example/1", "created_at": "2026-11-01T10:00:00Z",
                    "extra": "ignored"}) + "\n"
    )  # fmt: skip
    batch = _connector(school_dir).fetch(None)
    post = batch.posts[0]
    assert (post.platform, post.external_id, post.text, post.author) == ("x", "1", "hello", "a")
    assert (
        post.created_at is not None and post.created_at.isoformat() == "2026-11-01T10:00:00+00:00"
    )
    assert batch.cursor == "1"


def test_it_skips_a_bad_line_with_its_number_and_keeps_the_rest(school_dir: Path) -> None:
    (school_dir / "posts.jsonl").write_text(
        '{"id": "1", "text": "one"}\n{not json\n{"id": "3"}\n{"id": "4", "text": "four"}\n'
    )
    batch = _connector(school_dir).fetch(None)
    assert [p.external_id for p in batch.posts] == ["1", "4"]
    assert [s.where for s in batch.skipped] == ["posts.jsonl:2", "posts.jsonl:3"]
    assert "text" in batch.skipped[1].reason


def test_it_resumes_after_its_cursor(school_dir: Path) -> None:
    path = school_dir / "posts.jsonl"
    path.write_text('{"id": "1", "text": "one"}\n')
    connector = _connector(school_dir)
    first = connector.fetch(None)
    with path.open("a") as handle:
        handle.write('{"id": "2", "text": "two"}\n')
    second = connector.fetch(first.cursor)
    assert [p.external_id for p in second.posts] == ["2"]
    assert connector.fetch(second.cursor).posts == []


def test_a_missing_file_is_a_permanent_source_error(school_dir: Path) -> None:
    (school_dir / "posts.jsonl").unlink()
    with pytest.raises(SourceError) as caught:
        _connector(school_dir).fetch(None)
    assert caught.value.permanent


def test_it_needs_a_path(school_dir: Path) -> None:
    settings = load_settings(school_dir / "school.toml", {})
    source = SourceSettings("broken", "jsonl", 60, {}, school_dir)
    with pytest.raises(ConfigError, match="needs path"):
        JsonlConnector.from_settings(source, settings)


def test_an_unregistered_type_fails_loudly() -> None:
    with pytest.raises(ConfigError, match="has no connector"):
        connector_class("myspace")
