"""Real faults, on SQLite and PostgreSQL: two processes running one source at once, and posts
built to break a cycle. Nothing may be classified, filed or e-mailed twice, and no bad post may
hold back a good one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from classifiers import Classifier, PostInput, Result
from config import Settings
from models import Case, Flag, OutboxEmail, Post, Source
from monitor.app import App
from monitor.cycle import classify_posts, run_cycle, unclassified
from monitor.locks import LOCK_KEY
from monitor.service import LOCK_CHECK_EVERY

pytestmark = pytest.mark.faults

THREATS = [f"I'll hurt Mr Okafor outside Roose Primary, warning number {n}" for n in range(12)]


def _lines(count: int) -> list[str]:
    posts = []
    for n in range(count):
        text = THREATS[n % len(THREATS)] if n % 10 == 0 else f"Lovely assembly at Roose Primary {n}"
        posts.append({"id": f"p{n}", "text": text, "platform": "x", "author": f"@parent{n}",
                      "created_at": "2026-11-20T10:00:00Z"})  # fmt: skip
    return [json.dumps(p) for p in posts]


def test_two_fetch_processes_on_one_source_classify_file_and_mail_each_post_once(
    settings: Settings, environ: dict[str, str], school_dir: Path, tmp_path: Path
) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    path.write_text("\n".join(_lines(300)) + "\n")
    env = {**os.environ, **environ, "SCHOOLWATCH_CONFIG": str(school_dir / "school.toml")}
    App.open(settings).close()  # migrate first, as `run` would have
    command = [sys.executable, "-m", "monitor", "fetch", "--source", "imported"]
    racers = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    for racer in racers:
        _, err = racer.communicate(timeout=240)
        # the second waits for the first (the source's lock); if it waits too long it says so
        busy = racer.returncode == 1 and b"another process is running this source" in err
        assert racer.returncode == 0 or busy, err.decode()[-2000:]
    app = App.open(settings)
    try:
        with app.sessions() as session:
            per_post = Counter(session.scalars(select(Flag.post_id)).all())
            assert len(per_post) == 30 and set(per_post.values()) == {1}
            cases = session.scalars(select(Case)).all()
            assert len(cases) == 30 and all(case.posts for case in cases)
            mailed = Counter(session.scalars(select(OutboxEmail.case_id)).all())
            assert len(mailed) == 30 and set(mailed.values()) == {1}
            assert session.scalar(select(func.count(Post.id))) == 300
    finally:
        app.close()


POISON = [
    '{"id": "future", "text": "Roose Primary fun run", "created_at": "9999-12-31T23:59:59Z"}',
    '{"id": "ancient", "text": "Roose Primary fun run", "created_at": "0001-01-01T00:00:00Z"}',
    '{"id": "deep", "text": "x", "raw": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"id": "surrogate", "text": "Roose Primary \\ud800 lone half", "author": "@a\\ud800"}',
    '{"id": "nul", "text": "Roose Primary\\u0000 NUL", "author": "@nul\\u0000"}',
    '{"id": "nan", "text": "Roose Primary NaN", "score": NaN}',
    json.dumps(
        {
            "id": "g" * 273,
            "text": "Roose Primary long guid",
            "platform": "p" * 60,
            "author": "a" * 400,
        }
    ),  # fmt: skip
    json.dumps({"id": "huge", "text": "I'll hurt Mr Okafor at Roose Primary " + "!?" * 600_000}),
]


def test_poisoned_posts_never_stop_a_source_or_the_good_posts_beside_them(
    app: App, settings: Settings
) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    good = [json.dumps({"id": f"good{n}", "text": THREATS[n]}) for n in range(3)]
    body = "\n".join([good[0], *POISON, good[1]]) + "\n"
    path.write_bytes(body.encode("utf-8") + b'{"id": "bad-byte", "text": "Roose \xff"}\n'
                     + (good[2] + "\n").encode())  # fmt: skip
    report = run_cycle(app, "imported")
    assert report.error is None
    assert report.skipped == 2  # the unreadable byte and the too-deep line, each on its own
    with app.sessions() as session:
        posts = {p.external_id: p for p in session.scalars(select(Post))}
        assert {"good0", "good1", "good2", "future", "ancient", "surrogate", "nul", "nan",
                "huge"} <= set(posts)  # fmt: skip
        assert all(p.classified_at is not None and p.quarantine is None for p in posts.values())
        assert posts["future"].created_at is None and posts["ancient"].created_at is None
        assert "\x00" not in posts["nul"].text and "\x00" not in (posts["nul"].author or "")
        long_id = next(p for key, p in posts.items() if key.startswith("sha256:"))
        assert len(long_id.platform) == 40 and len(long_id.author or "") == 300
        flagged = {p.external_id for p in posts.values() if p.flags}
        assert {"good0", "good1", "good2", "huge"} <= flagged
        source = session.scalar(select(Source).where(Source.name == "imported"))
        assert source is not None and source.last_outcome == "ok"
        assert source.consecutive_failures == 0
    assert run_cycle(app, "imported").new == 0  # the cursor moved past every line


class _FailsOn(Classifier):
    """The real classifier, made to fail on one post: a stand-in for a bug not found yet."""

    def __init__(self, inner: Classifier, bad_text: str) -> None:
        self.__dict__.update(inner.__dict__)
        self._bad = bad_text

    def classify(self, posts: object, all_relevant: bool = False) -> list[Result]:
        items = list(posts)  # type: ignore[call-overload]
        if any(isinstance(p, PostInput) and self._bad in p.text for p in items):
            raise RuntimeError("classifier bug")
        return super().classify(items, all_relevant)


def test_a_post_the_classifier_fails_on_is_quarantined_and_the_rest_are_classified(
    app: App, settings: Settings
) -> None:
    path = settings.source("imported").path_option("path")
    assert path is not None
    lines = [json.dumps({"id": f"p{n}", "text": THREATS[n]}) for n in range(3)]
    lines.insert(1, json.dumps({"id": "bad", "text": "Roose Primary TRIGGER"}))
    path.write_text("\n".join(lines) + "\n")
    app.classifier = _FailsOn(app.classifier, "TRIGGER")
    report = run_cycle(app, "imported")
    assert report.error is None and report.quarantined == 1 and report.flagged == 3
    with app.sessions() as session:
        bad = session.scalar(select(Post).where(Post.external_id == "bad"))
        assert bad is not None and bad.quarantine and "RuntimeError" in bad.quarantine
    assert unclassified(app, "imported") == []
    classify_posts(app, [bad.id], report)  # claimed already: nobody classifies it twice
    assert report.quarantined == 1


def _run(school_dir: Path, environ: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, **environ}
    command = [sys.executable, "-m", "monitor", "run", "--config", str(school_dir / "school.toml"),
               "--port", str(_free_port()), "--no-web"]  # fmt: skip
    with log.open("wb") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _owns(log: Path) -> bool:
    """Whether a `run` process's log says it holds the scheduler now."""
    out = log.read_text()
    gained = max(out.rfind("scheduler started"), out.rfind("scheduling resumed"))
    return gained > out.rfind("lost the scheduler lock")


def _wait(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.25)
    return True


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_dropped_database_connection_never_leaves_two_schedulers(
    school_dir: Path, environ: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    holders = text(  # this test's database only: other runs on the server use the same key
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = :k "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = _run(school_dir, environ, first_log)
    second: subprocess.Popen[bytes] | None = None
    try:
        assert _wait(lambda: _owns(first_log), 30), first_log.read_text()
        with engine.connect() as connection:
            [pid] = connection.execute(holders, {"k": LOCK_KEY}).scalars().all()
            connection.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        second = _run(school_dir, environ, second_log)
        assert _wait(lambda: "lost the scheduler lock" in first_log.read_text(), 20)
        assert _wait(lambda: _owns(first_log) or _owns(second_log), 20)
        time.sleep(LOCK_CHECK_EVERY * 2)  # long enough for a second owner to show itself
        assert _owns(first_log) != _owns(second_log), (
            first_log.read_text(),
            second_log.read_text(),
        )
        with engine.connect() as connection:
            assert len(connection.execute(holders, {"k": LOCK_KEY}).scalars().all()) == 1
    finally:
        for process in (first, second):
            if process is not None:
                process.send_signal(signal.SIGTERM)
        codes = [p.wait(timeout=20) for p in (first, second) if p is not None]
        engine.dispose()
    assert codes == [0, 0], (first_log.read_text(), second_log.read_text())


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_database_error_never_carries_post_text_into_the_log(app: App, database_url: str) -> None:
    from sqlalchemy.exc import DataError

    statement = text(
        "INSERT INTO posts (platform, external_id, text, fetched_at, content_sha256) "
        "VALUES (:platform, 'x', :text, now(), 'h')"
    )
    with pytest.raises(DataError) as caught, app.engine.begin() as connection:
        connection.execute(statement, {"platform": "p" * 60, "text": "Jayden Nowak is a thug"})
    assert "Jayden" not in str(caught.value) and "hidden" in str(caught.value)


def test_a_fetch_while_another_process_runs_the_source_waits_then_says_so_in_one_line(
    settings: Settings, environ: dict[str, str], school_dir: Path, app: App
) -> None:
    from monitor.locks import source_lock

    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from config import load_settings\nfrom monitor.app import App\n"
         "from monitor.locks import source_lock\n"
         "app = App.open(load_settings(sys.argv[1]))\n"
         "with source_lock(app.engine, app.settings.data_dir, 'imported'):\n"
         "    print('held', flush=True)\n    time.sleep(60)\n",
         str(school_dir / "school.toml")],
        env={**os.environ, **environ}, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        fetch = subprocess.run(
            [sys.executable, "-m", "monitor", "fetch", "--config", str(school_dir / "school.toml"),
             "--source", "imported"],
            env={**os.environ, **environ}, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert fetch.returncode == 1
        assert fetch.stderr.strip().splitlines()[-1] == (
            "schoolwatch: source 'imported' was not run: another process is running this source now"
        )
    finally:
        holder.send_signal(signal.SIGTERM)
        holder.communicate(timeout=15)
    with source_lock(app.engine, app.settings.data_dir, "imported", wait=5.0):
        pass  # released when the holding process ended
