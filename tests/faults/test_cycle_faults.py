"""Real faults against a cycle (issue 12): two processes on one source, a dropped PostgreSQL
connection under the scheduler, poisoned posts in a batch. Each runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from config import Settings
from models import Case, Flag, OutboxEmail, Post, QuarantinedPost, Source
from monitor.app import App
from monitor.cycle import CycleReport, classify_posts, run_cycle
from monitor.locks import LOCK_KEY
from tests.monitor.test_service import _free_port, _get, _start, _stop, _wait_for

pytestmark = pytest.mark.faults


def _threats_and_chatter(count: int) -> list[dict[str, str]]:
    posts = []
    for i in range(count):
        threat = f"I'll batter Mr Okafor outside Roose Primary, number {i}"
        posts.append({"id": f"t{i}", "author": f"@angry{i}", "platform": "x", "text": threat})
        posts.append({"id": f"c{i}", "author": f"@parent{i}", "platform": "x",
                      "text": f"Lovely nativity at Roose Primary, well done {i}"})  # fmt: skip
    return posts


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _fetch(school_dir: Path, environ: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "monitor", "fetch", "--config",
               str(school_dir / "school.toml"), "--source", "imported"]  # fmt: skip
    return subprocess.Popen(command, env={**os.environ, **environ}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip


def test_two_fetches_racing_on_one_source_flag_and_mail_each_incident_once(
    school_dir: Path, environ: dict[str, str], app: App
) -> None:
    _write(school_dir / "posts.jsonl", [json.dumps(p) for p in _threats_and_chatter(15)])
    racers = [_fetch(school_dir, environ) for _ in range(2)]
    outputs = [racer.communicate(timeout=120)[0] for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0], outputs
    with app.sessions() as session:
        flags = session.execute(
            select(Flag.post_id, Flag.category, func.count()).group_by(Flag.post_id, Flag.category)
        ).all()
        flagged = {post_id for post_id, _, _ in flags}
        assert len(flagged) == 15 and all(n == 1 for _, _, n in flags)
        assert session.scalar(select(func.count()).select_from(Case)) == 15
        assert session.scalar(select(func.count()).select_from(Post)) == 30
        mails = session.execute(
            select(OutboxEmail.case_id, func.count()).group_by(OutboxEmail.case_id)
        ).all()
        assert len(mails) == 15 and all(n == 1 for _, n in mails)


def test_a_second_cycle_claims_no_post_the_first_already_classified(
    app: App, settings: Settings
) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    _write(path, [json.dumps(p) for p in _threats_and_chatter(3)])
    run_cycle(app, "imported")
    with app.sessions() as session:
        ids = list(session.scalars(select(Post.id)))
    late = CycleReport(source="imported")
    classify_posts(app, ids, late)  # a cycle that read the ids before the first one committed
    assert (late.relevant, late.flagged, late.cases_opened) == (0, 0, [])
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Flag)) == 3


def test_a_fetch_while_another_holds_the_source_says_so_in_one_line(
    school_dir: Path, environ: dict[str, str], app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor import cycle
    from monitor.locks import source_lock

    monkeypatch.setattr(cycle, "BUSY_WAIT", 0.5)
    with source_lock(app.engine, app.settings.data_dir, "imported"):
        report = run_cycle(app, "imported")
    assert report.busy and "another process" in (report.error or "")


POISON = {
    "far-future date": {"id": "p1", "text": "Roose Primary", "created_at": "9999-12-31T00:00:00"},
    "year one": {"id": "p2", "text": "Roose Primary", "created_at": "0001-01-01T00:00:00"},
    "NUL in text": {"id": "p3", "text": "Roose\u0000 Primary"},
    "NUL in author": {"id": "p4", "text": "Roose Primary", "author": "a\u0000b"},
    "lone surrogate": {"id": "p5", "text": "Roose Primary \ud800"},
    "long author": {"id": "p6", "text": "Roose Primary", "author": "a" * 301},
    "long platform": {"id": "p7", "text": "Roose Primary", "platform": "p" * 41},
}


def test_poisoned_posts_are_quarantined_and_every_good_post_is_classified_in_the_same_cycle(
    app: App, settings: Settings
) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    good = _threats_and_chatter(3)
    guid = "https://news.example/" + "g" * 252  # a 273-character RSS guid
    good.append({"id": guid, "text": "I'll batter Mr Okafor at Roose Primary", "author": "@g"})
    good.append({"id": "huge", "author": "@h", "text": "Roose Primary is awful. " * 45_000})
    lines = [json.dumps(p) for p in good]
    lines += [json.dumps(p) for p in POISON.values()]
    lines.append('{"id": "nan", "text": "Roose Primary", "score": NaN}')
    lines.append('{"id": "deep", "text": "x", "n": ' + "[" * 5000 + "]" * 5000 + "}")
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line.encode("utf-8", "surrogatepass").decode("utf-8", "replace") + "\n")
    with path.open("ab") as raw:
        raw.write(b'{"id": "bad-byte", "text": "Roose \xff Primary"}\n')
    report = run_cycle(app, "imported")
    assert report.error is None
    with app.sessions() as session:
        stored = {p.external_id: p for p in session.scalars(select(Post))}
        assert len(stored) == len(good)
        assert all(p.classified_at is not None for p in stored.values())
        assert session.scalar(select(func.count()).select_from(Case)) == 4
        long_id = next(k for k in stored if k.startswith("https://news.example/"))
        assert len(long_id) <= 200 and long_id != guid
        reasons = {q.external_id: q.reason for q in session.scalars(select(QuarantinedPost))}
        source = session.scalar(select(Source))
        assert source is not None and source.last_outcome == "ok"
        assert source.cursor == str(len(lines) + 1)
    assert "outside 1990-2200" in reasons["p1"] and "outside 1990-2200" in reasons["p2"]
    assert "NUL" in reasons["p3"] and "NUL" in reasons["p4"]
    assert "surrogate" in reasons["p5"]
    assert "author" in reasons["p6"] and "platform" in reasons["p7"]
    assert "raw payload" in reasons["nan"]
    assert any("nested too deeply" in r for r in reasons.values())
    assert any("not valid UTF-8" in r for r in reasons.values())
    again = run_cycle(app, "imported")
    assert (again.error, again.new, again.fetched) == (None, 0, 0)
    with app.sessions.begin() as session:
        quarantined = session.scalar(select(func.count()).select_from(QuarantinedPost))
        session.scalars(select(Source)).one().cursor = None  # a feed re-reads the same items
    run_cycle(app, "imported")
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == len(good)
        assert session.scalar(select(func.count()).select_from(QuarantinedPost)) == quarantined


def test_a_scheduler_whose_lock_connection_is_killed_stops_and_another_takes_over(
    school_dir: Path, postgres_url: str, tmp_path: Path
) -> None:
    """PostgreSQL only: SQLite's scheduler lock is a file lock, with no connection to drop."""
    database_url = postgres_url
    environ = {"SCHOOLWATCH_DATA_DIR": str(tmp_path / "data"),
               "SCHOOLWATCH_DATABASE_URL": postgres_url}  # fmt: skip
    ports = [_free_port(), _free_port()]
    first = _start(school_dir, environ, ports[0], "--no-web")
    second: subprocess.Popen[str] | None = None
    engine = create_engine(database_url)
    try:
        _wait_for(f"http://127.0.0.1:{ports[0]}/readyz")
        second = _start(school_dir, environ, ports[1], "--no-web")
        _wait_for(f"http://127.0.0.1:{ports[1]}/readyz")
        assert [_get(f"http://127.0.0.1:{p}/readyz")[1]["scheduler"] for p in ports] == [
            "running", None]  # fmt: skip
        with engine.begin() as connection:
            killed = connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                     " AND objid = :k AND objsubid = 1"), {"k": LOCK_KEY},
            ).scalars().all()  # fmt: skip
        assert killed == [True]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            states = [_get(f"http://127.0.0.1:{p}/readyz") for p in ports]
            if states[0][1]["scheduler"] == "lost" or states[1][1]["scheduler"] == "running":
                break
            time.sleep(0.3)
        for _ in range(5):  # never two schedulers at once
            states = [_get(f"http://127.0.0.1:{p}/readyz") for p in ports]
            assert [s[1]["scheduler"] for s in states].count("running") == 1
            with engine.connect() as connection:
                holders = connection.execute(
                    text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                         " AND objid = :k AND objsubid = 1 AND granted"), {"k": LOCK_KEY},
                ).scalar()  # fmt: skip
            assert holders == 1
            time.sleep(1)
        lost = [s for s in states if s[1]["scheduler"] != "running"]
        assert all(s[0] == 503 or s[1]["scheduler"] is None for s in lost)
    finally:
        engine.dispose()
        codes = [_stop(first)[0]] + ([_stop(second)[0]] if second else [])
    assert codes == [0, 0]
