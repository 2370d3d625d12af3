from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from config import load_settings
from models import Post, Source
from monitor.app import App
from monitor.cli import main
from tests.connectors.harnesses import X
from tests.connectors.replay import replay

EXTRA_SOURCES = """
[[sources]]
name = "x-search"
type = "x"
every = "15m"

[[sources]]
name = "local-news"
type = "rss"
url = "https://news.example/barrow/feed.xml"
"""


@pytest.fixture
def config(school_dir: Path, environ: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Path:
    path = school_dir / "school.toml"
    path.write_text(path.read_text() + EXTRA_SOURCES)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    monkeypatch.delenv("X_BEARER_TOKEN_FILE", raising=False)
    return path


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def test_fetch_without_its_credential_is_one_line_and_exit_2(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fetch", "--config", str(config), "--source", "x-search"]) == 2
    err = _lines(capsys.readouterr().err)
    assert len(err) == 1 and "X_BEARER_TOKEN" in err[0] and "Traceback" not in err[0]


def test_a_credential_file_is_read_and_the_cycle_stores_posts_once(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "x-token"
    secret.write_text("<X_BEARER_TOKEN>\n")
    monkeypatch.setenv("X_BEARER_TOKEN_FILE", str(secret))
    with replay() as mock:
        search = mock.add("GET", X.pattern, *X.pages([2, 1]))
        assert main(["fetch", "--config", str(config), "--source", "x-search"]) == 0
        search.load(X.page([X.item(2)], None))
        assert main(["fetch", "--config", str(config), "--source", "x-search"]) == 0
    assert search.seen[-1].param("since_id") == X.external_id(2)
    app = App.open(load_settings(config))
    try:
        with app.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Post)) == 2
            row = session.scalar(select(Source).where(Source.name == "x-search"))
            assert row is not None and row.cursor == X.external_id(2)
    finally:
        app.close()


def test_sources_lists_each_source_with_its_outcome_and_rate_left(
    config: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("X_BEARER_TOKEN", "<X_BEARER_TOKEN>")
    (config.parent / "posts.jsonl").unlink()
    with replay() as mock:
        mock.add("GET", X.pattern, *X.pages([3, 2, 1]))
        assert main(["fetch", "--config", str(config), "--source", "x-search"]) == 0
    assert main(["fetch", "--config", str(config), "--source", "imported"]) == 2
    capsys.readouterr()
    assert main(["sources", "--config", str(config)]) == 0
    out = _lines(capsys.readouterr().out)
    assert out[0].split()[:4] == ["name", "type", "last", "run"]
    rows = {line.split()[0]: line for line in out[1:]}
    assert list(rows) == ["imported", "x-search", "local-news"]
    x_cells = rows["x-search"].split()
    assert x_cells[4:11] == ["ok", "3", "0", "3", "0", "0", "448"]
    assert " error " in rows["imported"] and "does not exist" in rows["imported"]
    assert "never" in rows["local-news"]


def test_sources_with_coverage_says_what_each_source_watches_costs_and_misses(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "--config", str(config), "--coverage"]) == 0
    out = capsys.readouterr().out
    table, coverage = out.split("\n\n", 1)
    assert table.splitlines()[0].split()[:2] == ["name", "type"]  # the table, unchanged
    lines = {line.split()[0]: line for line in _lines(coverage)[1:]}
    assert list(lines) == ["imported", "x-search", "local-news"]
    # X at every 15m with the defaults: 96 cycles of 1 to 3 calls.
    assert "x-search (x, every 15m): watches X recent search" in lines["x-search"]
    assert "96-288 calls a day" in lines["x-search"] and "cannot see protected" in lines["x-search"]
    assert "local-news (rss, every 15m)" in lines["local-news"]


def test_sources_without_coverage_prints_the_table_alone(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "--config", str(config)]) == 0
    assert "coverage" not in capsys.readouterr().out
