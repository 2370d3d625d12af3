from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from config import ConfigError, Settings, load_settings
from monitor.app import App
from monitor.cli import main
from monitor.cycle import run_cycle
from monitor.jobs import school_slug
from monitor.usage import ApiCosts, record_usage, usage_rows

TODAY = date(2026, 12, 4)


def test_a_shared_fetch_is_split_equally_and_added_to_each_schools_own_usage(app: App) -> None:
    costs = ApiCosts()
    with app.sessions.begin() as session:
        record_usage(session, "x", ["a", "b", "c"], 3, 30, costs, shared=True, day=TODAY)
        record_usage(session, "x", ["a"], 1, 4, costs, day=TODAY)
        record_usage(session, "x", ["a", "b", "c"], 3, 60, costs, shared=True, day=TODAY)
        record_usage(session, "reddit", ["b"], 2, 0, costs, day=TODAY)
    with app.sessions() as session:
        rows = {(r.school, r.platform): r for r in usage_rows(session, 7, TODAY)}
    assert set(rows) == {("a", "x"), ("b", "x"), ("c", "x"), ("b", "reddit")}
    a = rows[("a", "x")]
    assert (a.calls, a.shared_calls, a.posts_read) == pytest.approx((3.0, 2.0, 34.0))
    assert a.cost == pytest.approx(34 * 0.005)
    assert rows[("c", "x")].calls == pytest.approx(2.0)
    assert rows[("b", "reddit")].cost == 0.0  # no published price: no invented figure


def test_usage_older_than_the_window_is_left_out(app: App) -> None:
    with app.sessions.begin() as session:
        for back in (0, 1, 7):
            record_usage(session, "x", ["a"], 1, 1, ApiCosts(), day=TODAY - timedelta(days=back))
    with app.sessions() as session:
        assert [r.day for r in usage_rows(session, 7, TODAY)] == [TODAY, TODAY - timedelta(1)]
        assert len(usage_rows(session, 8, TODAY)) == 3


def test_prices_come_from_the_environment_and_a_bad_one_is_one_clear_error() -> None:
    costs = ApiCosts.from_environ({"SCHOOLWATCH_API_COSTS": "reddit.call=0.001, x.post=0.01"})
    assert costs.cost("reddit", 10, 99) == pytest.approx(0.01)
    assert costs.cost("x", 1, 10) == pytest.approx(0.1)
    assert ApiCosts.from_environ({}).cost("x", 5, 10) == pytest.approx(0.05)
    for bad in ("x.post=cheap", "x.read=1", "tiktok.call=1", "x.post=-1"):
        with pytest.raises(ConfigError, match="SCHOOLWATCH_API_COSTS"):
            ApiCosts.from_environ({"SCHOOLWATCH_API_COSTS": bad})


@pytest.fixture
def config(school_dir: Path, environ: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Path:
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    return school_dir / "school.toml"


def test_sources_with_usage_prints_calls_and_cost_per_school_per_day(
    config: Path, environ: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    app = App.open(load_settings(config, environ))
    with app.sessions.begin() as session:
        record_usage(session, "x", ["Roose <b>Primary</b>\x1b[2J", "Abbotsmead"], 4, 200,
                     ApiCosts(), shared=True)  # fmt: skip
    app.close()
    assert main(["sources", "--config", str(config), "--usage", "--days", "1"]) == 0
    out = capsys.readouterr().out
    assert "usage, calls and cost per school per day (last 1 day(s))" in out
    line = next(line for line in out.splitlines() if "Abbotsmead" in line)
    assert line.split()[2:] == ["x", "2.0", "2.0", "100.0", "0.5000"]
    assert "\x1b" not in out
    assert "total estimated cost: 1.0000 USD" in out


def test_sources_usage_with_nothing_recorded_says_so(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "--config", str(config), "--usage"]) == 0
    assert "no API calls recorded in the last 7 day(s)" in capsys.readouterr().out


def test_sources_usage_with_a_bad_window_is_one_line_and_exit_2(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "--config", str(config), "--usage", "--days", "0"]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and "--days must be 1 or more" in err[0]


def test_every_cycle_adds_its_calls_and_posts_read_to_the_schools_usage(
    app: App, settings: Settings
) -> None:
    """The imported jsonl source: one read of its file per cycle, every post read counted."""
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text("".join(json.dumps({"id": f"u{n}", "text": f"Roose Primary fair {n}"}) + "\n"
                            for n in range(3)))  # fmt: skip
    first = run_cycle(app, "imported", send=False)
    second = run_cycle(app, "imported", send=False)
    assert first.error is None and first.fetched > 0
    with app.sessions() as session:
        rows = usage_rows(session, 1)
    assert [(r.school, r.platform) for r in rows] == [(school_slug(settings), "jsonl")]
    assert rows[0].calls == pytest.approx(2.0)
    assert rows[0].posts_read == pytest.approx(first.fetched + second.fetched)
    assert rows[0].cost == 0.0
