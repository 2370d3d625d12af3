"""Workers fetch a search several schools share once for all of them, on a real PostgreSQL
database of the test's own, with X's answers replayed: each school stores, flags and pays for its
own share, and a failing shared search shows on every member's source until a retry succeeds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from models import Case, Post, SharedCursor
from models.tenancy import global_sessions
from monitor.cli import main
from monitor.deployment import Deployment
from monitor.usage import usage_rows
from monitor.worker import ensure_schema, queue_app, schedule_all
from tests.conftest import PUPILS, SCHOOL_TOML, STAFF
from tests.connectors.harnesses import X, _x_id, iso
from tests.connectors.replay import Replay, Reply, replay
from tests.monitor.test_worker import _rows, _work_until, worker_db, worker_env

# pytest fixtures of the worker tests: a fresh PostgreSQL database (and through tests/tenancy's
# conftest, smtp_server: a real SMTP server)
__all__ = ["worker_db", "worker_env"]

SCHOOL = """
[school]
name = "{name}"
aliases = ["{alias}"]

[people]
pupils = "none-pupils.csv"
staff = "none-staff.csv"

[alerts]
recipients = ["head@{slug}.example"]
sender = "schoolwatch@{slug}.example"
"""
X_SOURCE = '\n[[sources]]\nname = "{name}"\ntype = "x"\nevery = "1d"\n'
TEXTS = {
    1: "Roose Primary nativity was lovely",
    2: "Abbotsmead Academy's new head has no idea",
    3: "Roose Primary and Abbotsmead both closed for snow",
    4: "Stuck on Roose Road again",
    5: "If Mr Okafor does that again I'll batter him outside Roose Primary",
}
OWN_QUERY = '"Ashdown Vale" -is:retweet'


def _page() -> Reply:
    items = [{"id": _x_id(n), "text": TEXTS[n], "author_id": "2244994945", "created_at": iso(n),
              "edit_history_tweet_ids": [_x_id(n)]} for n in (5, 4, 3, 2, 1)]  # fmt: skip
    return X.page(items, None)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Roose and Abbotsmead each search X by their names (every 1d: the worker defers each
    periodic job once, at start, for the day's last tick); Ashdown searches with its own query."""
    schools = tmp_path / "schools"
    schools.mkdir()
    (schools / "roose.toml").write_text(SCHOOL_TOML + X_SOURCE.format(name="x-search"))
    (schools / "abbots.toml").write_text(
        SCHOOL.format(name="Abbotsmead Academy", alias="Abbotsmead", slug="abbots")
        + X_SOURCE.format(name="x-abbots")
    )
    (schools / "ashdown.toml").write_text(
        SCHOOL.format(name="Ashdown Vale Academy", alias="Ashdown Vale", slug="ashdown")
        + X_SOURCE.format(name="x-own")
        + f"query = '{OWN_QUERY}'\n"
    )
    (schools / "pupils.csv").write_text(PUPILS)
    (schools / "staff.csv").write_text(STAFF)
    (schools / "none-pupils.csv").write_text("first_name,last_name,year_group,aliases\n")
    (schools / "none-staff.csv").write_text("title,first_name,last_name,role,aliases\n")
    (schools / "posts.jsonl").write_text("")
    return schools


@pytest.fixture
def env(worker_env: dict[str, str]) -> dict[str, str]:
    return {**worker_env, **X.env}


@pytest.fixture
def mock() -> Iterator[Replay]:
    with replay() as active:
        yield active


def _jobs(url: str, task: str) -> list[tuple[Any, ...]]:
    return _rows(url, f"SELECT status, attempts, args->>'school' FROM procrastinate_jobs "
                      f"WHERE task_name = 'schoolwatch.{task}' ORDER BY id")  # fmt: skip


def test_schools_sharing_an_x_search_send_one_request_and_each_gets_its_own_posts(
    folder: Path, env: dict[str, str], mock: Replay
) -> None:
    search = mock.add("GET", X.pattern, _page())
    url = env["SCHOOLWATCH_DATABASE_URL"]
    deployment = Deployment.open(folder, env)
    try:
        queue = queue_app(url)
        [shared] = schedule_all(queue, deployment.apps())
        ensure_schema(queue, url)
        assert sorted(shared.schools) == ["abbots", "roose"]
        periodic = set(queue.periodic_registry.periodic_tasks)
        assert ("schoolwatch.shared_cycle", shared.key) in periodic
        assert ("schoolwatch.cycle", "cycle:ashdown:x-own") in periodic
        assert ("schoolwatch.cycle", "cycle:roose:imported") in periodic  # jsonl: not shared
        assert ("schoolwatch.cycle", "cycle:roose:x-search") not in periodic
        assert ("schoolwatch.cycle", "cycle:abbots:x-abbots") not in periodic

        def done() -> bool:
            own = [j for j in _jobs(url, "cycle") if j[2] == "ashdown"]
            return _jobs(url, "shared_cycle") == [("succeeded", 1, None)] and own == [
                ("succeeded", 1, "ashdown")
            ]

        _work_until(queue, done)
        assert done()
        queries = sorted(seen.param("query") or "" for seen in search.seen)
        assert queries == sorted([shared.query, OWN_QUERY])  # one request per tick, not two
        stored: dict[str, list[str]] = {}
        for slug in ("roose", "abbots"):
            with deployment.app(slug).sessions() as session:
                stored[slug] = sorted(session.scalars(select(Post.text)))
                cases = list(session.scalars(select(Case.severity)))
                assert (slug, cases) in (("roose", ["urgent"]), ("abbots", []))
        # TEXTS[4] names neither school clearly: both keep it, unflagged (docs/sharing.md)
        assert stored == {"roose": sorted([TEXTS[1], TEXTS[3], TEXTS[4], TEXTS[5]]),
                          "abbots": sorted([TEXTS[2], TEXTS[3], TEXTS[4]])}  # fmt: skip
        with global_sessions(deployment.engine)() as session:
            cursor = session.get(SharedCursor, shared.key)
            assert cursor is not None and cursor.cursor == _x_id(5)
            usage = {(r.school, r.platform): r for r in usage_rows(session, 1)}
        for slug in ("roose", "abbots"):
            row = usage[(slug, "x")]
            assert (row.calls, row.shared_calls, row.posts_read) == (0.5, 0.5, 2.5)
            assert row.cost == pytest.approx(5 * 0.005 / 2)
        assert (usage[("ashdown", "x")].calls, usage[("ashdown", "x")].shared_calls) == (1, 0)
        statuses = _rows(url, "SELECT name, last_outcome, last_fetched, posts_total FROM sources "
                              "WHERE type = 'x' ORDER BY name")  # fmt: skip
        assert statuses == [("x-abbots", "ok", 3, 3), ("x-own", "ok", 5, 5),
                            ("x-search", "ok", 4, 4)]  # fmt: skip
    finally:
        deployment.close()


def test_a_failing_shared_search_shows_on_every_member_and_is_retried(
    folder: Path, env: dict[str, str], mock: Replay
) -> None:
    (folder / "ashdown.toml").unlink()
    # The connector tries three times within one job: the job fails, and its retry succeeds.
    search = mock.add("GET", X.pattern, *[Reply(503, {"title": "Service Unavailable"})] * 3,
                      _page())  # fmt: skip
    url = env["SCHOOLWATCH_DATABASE_URL"]
    deployment = Deployment.open(folder, env)
    seen_failing: list[list[tuple[Any, ...]]] = []
    try:
        queue = queue_app(url, retry_first=timedelta(seconds=2))
        [shared] = schedule_all(queue, deployment.apps())
        ensure_schema(queue, url)

        def done() -> bool:
            sources = _rows(url, "SELECT name, last_outcome, consecutive_failures, last_error "
                                 "FROM sources WHERE type = 'x' ORDER BY name")  # fmt: skip
            if sources and all(outcome == "error" for _, outcome, _, _ in sources):
                seen_failing.append(sources)
            return _jobs(url, "shared_cycle") == [("succeeded", 2, None)]

        _work_until(queue, done, 60)
        assert done()
        assert len(search.seen) == 4
        assert seen_failing, "the members' sources never showed the failure"
        assert seen_failing[0] == [("x-abbots", "error", 1, "X server error 503"),
                                   ("x-search", "error", 1, "X server error 503")]  # fmt: skip
        after = _rows(url, "SELECT name, last_outcome, consecutive_failures FROM sources "
                           "WHERE type = 'x' ORDER BY name")  # fmt: skip
        assert after == [("x-abbots", "ok", 0), ("x-search", "ok", 0)]
        with deployment.app("abbots").sessions() as session:  # its two, and one neither claims
            assert session.scalar(select(func.count()).select_from(Post)) == 3
        with global_sessions(deployment.engine)() as session:
            usage = {r.school: r for r in usage_rows(session, 1)}
        assert usage["roose"].calls == usage["abbots"].calls == 2.0  # 4 requests, split
        assert shared.key.startswith("shared-x-search-")
    finally:
        deployment.close()


def test_sources_says_which_of_a_schools_sources_are_shared_and_with_how_many(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("SCHOOLWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'sw.db'}")
    monkeypatch.setenv("SCHOOLWATCH_DATA_DIR", str(tmp_path / "data"))
    assert main(["sources", "--config", str(folder), "--school", "abbots"]) == 0
    out = capsys.readouterr().out
    assert "x-abbots: shared, one search for 2 schools" in out
    assert main(["sources", "--config", str(folder), "--school", "ashdown"]) == 0
    assert "shared" not in capsys.readouterr().out
    assert main(["sources", "--config", str(folder), "--school", "roose"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if "shared" in line] == [
        "x-search: shared, one search for 2 schools under `schoolwatch worker` (docs/sharing.md)"
    ]
