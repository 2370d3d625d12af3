from __future__ import annotations

from pathlib import Path

from config import SourceSettings
from connectors import REGISTRY
from connectors.coverage import COVERAGE, calls_a_day

DOC = (Path(__file__).parents[2] / "docs" / "connectors.md").read_text()


def test_every_source_type_has_coverage_notes_and_a_row_in_the_docs() -> None:
    assert set(COVERAGE) == set(REGISTRY)
    for source_type in REGISTRY:
        assert f"\n| `{source_type}` |" in DOC, source_type


def test_calls_a_day_follow_the_schedule_and_options() -> None:
    def source(kind: str, every: int, **options: object) -> SourceSettings:
        return SourceSettings("s", kind, every, dict(options), Path("."))

    assert calls_a_day(source("x", 900), 3) == (96, 288)
    assert calls_a_day(source("x", 3600, max_pages=1), 3) == (24, 24)
    assert calls_a_day(source("reddit", 900, comment_subreddits=["BarrowInFurness"]), 3) == (
        288,
        672,
    )
    assert calls_a_day(source("bluesky", 900), 3) == (288, 864)
    assert calls_a_day(source("facebook_page", 900, comments=False), 3) == (96, 192)
    assert calls_a_day(source("jsonl", 900), 3) == (0, 0)
