"""``schoolwatch worker``: the jobs as procrastinate tasks on a real PostgreSQL database of the
test's own, e-mails to a real SMTP server, workers as real processes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import procrastinate
import psycopg
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from config import load_settings
from models import Case, OutboxEmail, Post
from monitor import jobs
from monitor.app import App
from monitor.cli import main
from monitor.worker import (
    Backoff,
    Transient,
    conninfo,
    cron_every,
    ensure_schema,
    queue_app,
)
from tests.alerts.conftest import Inbox, smtp_server
from tests.conftest import PG_ADMIN_URL

# A real SMTP server (aiosmtpd), the same fixture as the alert tests'
__all__ = ["smtp_server"]

THREATS = [
    "I'll hurt Mr Okafor at Roose Primary",
    "Someone should stab Mrs Whitfield at Roose Primary",
    "I will kill Mr Okafor after school at Roose Primary",
]


@pytest.fixture
def worker_db() -> Iterator[str]:
    """A fresh database for one test: no queue schema yet, no other test's jobs."""
    name = f"sw_worker_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def worker_env(tmp_path: Path, worker_db: str, smtp_server: tuple[Inbox, str]) -> dict[str, str]:
    return {
        "SCHOOLWATCH_DATA_DIR": str(tmp_path / "data"),
        "SCHOOLWATCH_DATABASE_URL": worker_db,
        "SCHOOLWATCH_SMTP_URL": smtp_server[1],
    }


class Feed:
    """A local RSS feed that answers 503 to its first ``failures`` requests and can be slow."""

    def __init__(self, failures: int = 0, delay: float = 0.0) -> None:
        self.failures, self.delay, self.requests = failures, delay, 0
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                feed.requests += 1
                time.sleep(feed.delay)
                if feed.requests <= feed.failures:
                    self.send_response(503)
                    self.end_headers()
                    return
                body = (
                    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Barrow news</title>'
                    b"<item><title>Queues outside Roose Primary</title><guid>n1</guid>"
                    b"<link>http://news.example/1</link></item></channel></rss>"
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/feed.xml"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _add_rss(school_dir: Path, url: str) -> None:
    with (school_dir / "school.toml").open("a") as handle:
        handle.write(f'\n[[sources]]\nname = "news"\ntype = "rss"\nevery = "1h"\nurl = "{url}"\n')


def _every(school_dir: Path, every: str) -> None:
    toml = school_dir / "school.toml"
    toml.write_text(toml.read_text().replace('every = "15m"', f'every = "{every}"'))


def _work_until(
    queue: procrastinate.App, done: Callable[[], bool], seconds: float = 30, concurrency: int = 1
) -> None:
    """Run a worker in this process until ``done()`` or ``seconds`` pass."""

    async def work() -> None:
        async with queue.open_async():
            worker = asyncio.create_task(queue.run_worker_async(
                install_signal_handlers=False, fetch_job_polling_interval=0.1,
                concurrency=concurrency,
            ))  # fmt: skip
            deadline = time.monotonic() + seconds
            while not done() and time.monotonic() < deadline and not worker.done():
                await asyncio.sleep(0.1)
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    asyncio.run(work())


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(conninfo(url)) as connection:
        return connection.execute(sql).fetchall()


def test_a_cycle_job_stores_posts_and_its_urgent_email_reaches_the_smtp_server(
    school_dir: Path, worker_env: dict[str, str], smtp_server: tuple[Inbox, str]
) -> None:
    inbox, _ = smtp_server
    (school_dir / "posts.jsonl").write_text(
        f'{{"id": "1", "text": "{THREATS[0]}"}}\n'
        '{"id": "2", "text": "Nativity at Roose Primary"}\n'
    )
    app = App.open(load_settings(school_dir / "school.toml", worker_env))
    school = jobs.register(app)
    queue = queue_app(worker_env["SCHOOLWATCH_DATABASE_URL"])
    assert ensure_schema(queue, worker_env["SCHOOLWATCH_DATABASE_URL"]) is True
    with queue.open():
        queue.configure_task("schoolwatch.cycle").defer(school=school, source="imported")
    _work_until(queue, lambda: bool(inbox.messages))
    with app.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 2
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert session.scalar(select(OutboxEmail.status)) == "sent"
    app.close()
    assert [str(m["Subject"]).startswith("URGENT") for m in inbox.messages] == [True]
    assert [r for r, _ in inbox.received] == ["head@school.example"]


def test_a_transient_failure_is_retried_and_then_succeeds(
    school_dir: Path, worker_env: dict[str, str]
) -> None:
    feed = Feed(failures=3)  # the connector tries three times within a cycle: the cycle fails
    try:
        _add_rss(school_dir, feed.url)
        app = App.open(load_settings(school_dir / "school.toml", worker_env))
        school = jobs.register(app)
        url = worker_env["SCHOOLWATCH_DATABASE_URL"]
        queue = queue_app(url, retry_first=timedelta(milliseconds=200))
        ensure_schema(queue, url)
        with queue.open():
            queue.configure_task("schoolwatch.cycle").defer(school=school, source="news")
        query = "SELECT status, attempts FROM procrastinate_jobs WHERE task_name LIKE '%.cycle'"
        _work_until(queue, lambda: _rows(url, query) == [("succeeded", 2)])
        assert _rows(url, query) == [("succeeded", 2)]  # attempts count the one that worked
        assert feed.requests == 4
        with app.sessions() as session:
            assert session.scalar(select(Post.text)) == "Queues outside Roose Primary"
        app.close()
    finally:
        feed.close()


def test_the_retry_policy_retries_only_what_may_pass_with_growing_waits() -> None:
    policy = Backoff(first=timedelta(seconds=30), attempts=3)

    def job(attempts: int) -> procrastinate.jobs.Job:
        return procrastinate.jobs.Job(id=1, queue="default", lock=None, queueing_lock=None,
                                      task_name="schoolwatch.cycle", attempts=attempts)  # fmt: skip

    first = policy.get_retry_decision(exception=Transient("503"), job=job(0))
    second = policy.get_retry_decision(exception=Transient("503"), job=job(1))
    asked = policy.get_retry_decision(exception=Transient("429", retry_after=900), job=job(0))
    assert first is not None and second is not None and asked is not None
    assert first.retry_at is not None and second.retry_at is not None
    assert asked.retry_at is not None and asked.retry_at > second.retry_at
    assert policy.get_retry_decision(exception=Transient("503"), job=job(2)) is None
    assert policy.get_retry_decision(exception=ValueError("a bug"), job=job(0)) is None


def test_every_becomes_a_cron_line_that_runs_at_least_as_often() -> None:
    assert cron_every(30) == "* * * * * */30"
    assert cron_every(15 * 60) == "*/15 * * * *"
    assert cron_every(90 * 60) == "0 */1 * * *"
    assert cron_every(6 * 3600) == "0 */6 * * *"
    assert cron_every(2 * 86400) == "0 0 */2 * *"


def test_the_schema_is_applied_once_when_workers_start_together(worker_db: str) -> None:
    results: list[bool] = []

    def start() -> None:
        results.append(ensure_schema(queue_app(worker_db), worker_db))

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, True]
    assert _rows(worker_db, "SELECT to_regclass('procrastinate_jobs') IS NOT NULL") == [(True,)]


def test_a_worker_on_sqlite_says_it_needs_postgresql(
    school_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("SCHOOLWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'sw.db'}")
    monkeypatch.setenv("SCHOOLWATCH_DATA_DIR", str(tmp_path / "data"))
    assert main(["worker", "--config", str(school_dir / "school.toml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "workers need PostgreSQL" in err


def test_a_concurrency_below_one_is_one_line_and_exit_2(
    school_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(school_dir / "school.toml")
    assert main(["worker", "--config", config, "--concurrency", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'0' is not a whole number of at least 1" in err


def test_a_worker_whose_database_is_unreachable_says_so_in_one_line(
    school_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    missing = make_url(PG_ADMIN_URL).set(database=f"sw_missing_{uuid.uuid4().hex[:8]}")
    monkeypatch.setenv("SCHOOLWATCH_DATABASE_URL", missing.render_as_string(hide_password=False))
    monkeypatch.setenv("SCHOOLWATCH_DATA_DIR", str(tmp_path / "data"))
    assert main(["worker", "--config", str(school_dir / "school.toml")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot use the database" in err and "does not exist" in err


def _start(school_dir: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "monitor", "worker", "--config",
               str(school_dir / "school.toml"), "--concurrency", "2"]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(command, env={**os.environ, **env}, stdout=out,
                                stderr=subprocess.STDOUT)  # fmt: skip


_LOGGED = re.compile(
    r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) .*source=imported (cycle starts|outcome=)"
)


def _cycle_spans(output: str) -> list[tuple[str, str]]:
    """(start, end) of each cycle of the 'imported' source one worker ran, as logged."""
    spans: list[tuple[str, str]] = []
    start: str | None = None
    for line in output.splitlines():
        found = _LOGGED.match(line)
        if found is None:
            continue
        if found.group(2) == "cycle starts":
            assert start is None, "a cycle started inside another in one worker"
            start = found.group(1)
        elif start is not None:
            spans.append((start, found.group(1)))
            start = None
    return spans


def _stop(*workers: subprocess.Popen[bytes]) -> list[int | None]:
    """SIGTERM, then each one's exit code (None if it had to be killed after 20 s)."""
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    codes: list[int | None] = []
    for worker in workers:
        try:
            codes.append(worker.wait(timeout=20))
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            codes.append(None)
    return codes


def _wait_for(what: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not what():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_two_workers_never_run_a_source_at_once_nor_send_an_email_twice(
    school_dir: Path, worker_env: dict[str, str], smtp_server: tuple[Inbox, str], tmp_path: Path
) -> None:
    inbox, _ = smtp_server
    _every(school_dir, "1s")
    posts = school_dir / "posts.jsonl"
    posts.write_text(f'{{"id": "0", "text": "{THREATS[0]}"}}\n')
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    workers = [_start(school_dir, worker_env, log) for log in logs]
    try:
        _wait_for(lambda: len(inbox.messages) >= 1)
        for number, threat in enumerate(THREATS[1:], start=1):
            with posts.open("a") as handle:
                handle.write(f'{{"id": "{number}", "text": "{threat}"}}\n')
            _wait_for(lambda n=number: len(inbox.messages) >= n + 1)  # type: ignore[misc]
        time.sleep(2)  # more cycles, more relays: none may send again
    finally:
        codes = _stop(*workers)
    outputs = [log.read_text() for log in logs]
    assert codes == [0, 0], outputs
    assert all("Traceback" not in out and "stopped" in out for out in outputs), outputs
    keys = [key for _, key in inbox.received]
    assert len(keys) == len(THREATS) == len(set(keys))
    url = worker_env["SCHOOLWATCH_DATABASE_URL"]
    # When each cycle's code ran, from the two workers' own log lines (one wall clock, to the
    # millisecond). procrastinate's event times are not this: they are the start of the database
    # statement that wrote them, and under load a worker's fetch statement can begin before the
    # other's finish commits, so the events overlapped where the cycles did not.
    spans = sorted(span for out in outputs for span in _cycle_spans(out))
    assert len(spans) >= 3
    assert all(
        end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False)
    ), spans
    assert _rows(url, "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'") == [(0,)]


def test_sigterm_lets_the_running_job_finish_and_stops_cleanly(
    school_dir: Path, worker_env: dict[str, str], tmp_path: Path
) -> None:
    feed = Feed(delay=3.0)
    try:
        _add_rss(school_dir, feed.url)
        log = tmp_path / "worker.log"
        worker = _start(school_dir, worker_env, log)
        try:
            _wait_for(lambda: feed.requests >= 1)
        finally:
            (code,) = _stop(worker)
    finally:
        feed.close()
    out = log.read_text()
    assert code == 0, out
    assert "Traceback" not in out and "stopped" in out
    assert "source=news outcome=ok fetched=1 new=1" in out
    url = worker_env["SCHOOLWATCH_DATABASE_URL"]
    statuses = _rows(url, "SELECT status FROM procrastinate_jobs WHERE task_name = "
                          "'schoolwatch.cycle' AND args->>'source' = 'news'")  # fmt: skip
    assert statuses == [("succeeded",)]


def test_run_leaves_the_jobs_to_live_workers_and_takes_them_back_when_they_stop(
    school_dir: Path, worker_env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    from monitor.locks import SchedulerLock
    from monitor.service import Service, _LockWatch

    app = App.open(load_settings(school_dir / "school.toml", worker_env))
    url = worker_env["SCHOOLWATCH_DATABASE_URL"]
    queue = queue_app(url)
    ensure_schema(queue, url)
    watch = _LockWatch(SchedulerLock(app.engine, app.settings.data_dir), Service(app))
    try:
        watch.check()
        assert watch.owned and watch.service.scheduler.running

        async def register() -> int:
            async with queue.open_async():
                return await queue.job_manager.register_worker()

        worker_id = asyncio.run(register())
        watch.check()
        assert not watch.owned and not watch.lock.held()
        assert "`schoolwatch worker` processes run the jobs on this database" in caplog.text

        async def unregister() -> None:
            async with queue.open_async():
                await queue.job_manager.unregister_worker(worker_id)

        asyncio.run(unregister())
        watch.check()
        assert watch.owned and watch.lock.held()
    finally:
        if watch.service.scheduler.running:
            watch.service.scheduler.shutdown(wait=True)
        watch.lock.release()
        app.close()


def _cycles(url: str) -> list[tuple[Any, ...]]:
    return _rows(url, """
        SELECT status, args->>'source', scheduled_at > now() + interval '50 minutes'
        FROM procrastinate_jobs WHERE task_name LIKE '%.cycle' ORDER BY id""")  # fmt: skip


def test_a_permanent_failure_holds_the_source_an_hour_and_turns_its_ticks_away(
    school_dir: Path, worker_env: dict[str, str]
) -> None:
    with (school_dir / "school.toml").open("a") as handle:
        handle.write('\n[[sources]]\nname = "broken"\ntype = "jsonl"\nevery = "1m"\n'
                     'path = "missing.jsonl"\n')  # fmt: skip
    app = App.open(load_settings(school_dir / "school.toml", worker_env))
    school = jobs.register(app)
    url = worker_env["SCHOOLWATCH_DATABASE_URL"]
    queue = queue_app(url)
    ensure_schema(queue, url)
    lock = f"cycle:{school}:broken"
    with queue.open():
        queue.configure_task("schoolwatch.cycle").defer(school=school, source="broken")
    _work_until(queue, lambda: len(_cycles(url)) == 2)
    assert _cycles(url) == [("succeeded", "broken", None), ("todo", "broken", True)]
    with queue.open(), pytest.raises(procrastinate.exceptions.AlreadyEnqueued):
        queue.configure_task("schoolwatch.cycle", queueing_lock=lock).defer(
            school=school, source="broken"
        )
    app.close()


def test_a_tick_waiting_behind_a_failed_cycle_gives_way_to_the_hold(
    school_dir: Path, worker_env: dict[str, str]
) -> None:
    from monitor.worker import _hold

    url = worker_env["SCHOOLWATCH_DATABASE_URL"]
    queue = queue_app(url)
    ensure_schema(queue, url)
    with queue.open():
        lock = "cycle:school:imported"
        queue.configure_task("schoolwatch.cycle", queueing_lock=lock, lock=lock).defer(
            school="school", source="imported"
        )
        _hold(queue, "school", "imported", 3600)
    assert _cycles(url) == [("todo", "imported", True)]
