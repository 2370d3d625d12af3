from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from config import Settings, load_settings
from models import Post, Source
from monitor.app import App
from monitor.cycle import CycleReport
from monitor.jobs import MAX_RETRY, retry_delay
from monitor.service import Service


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _wait_for(url: str, seconds: float = 30) -> tuple[int, Any]:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return _get(url)
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _add_source(school_dir: Path, name: str, path: str, every: str = "1h") -> None:
    with (school_dir / "school.toml").open("a") as handle:
        handle.write(
            f'\n[[sources]]\nname = "{name}"\ntype = "jsonl"\nevery = "{every}"\npath = "{path}"\n'
        )


def test_retry_delay_grows_is_capped_and_honours_retry_after() -> None:
    assert 15 <= retry_delay(1, 900, False, None) <= 30
    assert 60 <= retry_delay(3, 900, False, None) <= 120
    assert retry_delay(40, 900, False, None) <= MAX_RETRY
    assert retry_delay(1, 900, False, 600) == 600
    assert retry_delay(1, 60, True, None) == 3600


def test_a_source_the_platform_asks_to_rest_waits_before_its_next_cycle(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    import monitor.jobs

    def rested(_app: App, name: str, send: bool = True) -> CycleReport:
        return CycleReport(source=name, fetched=3, pause=7200.0)

    monkeypatch.setattr(monitor.jobs, "run_cycle", rested)
    service = Service(app)
    service.add_jobs(now=datetime.now().astimezone() + timedelta(minutes=1))
    service.scheduler.start(paused=True)
    try:
        service.source_job("imported")
        job = service.scheduler.get_job("source:imported")
        assert job is not None
        assert job.next_run_time > datetime.now().astimezone() + timedelta(minutes=119)
    finally:
        service.scheduler.shutdown(wait=False)


def test_a_failing_source_is_recorded_and_retried_later_while_others_run(
    school_dir: Path, environ: dict[str, str]
) -> None:
    _add_source(school_dir, "broken", "missing.jsonl")
    (school_dir / "posts.jsonl").write_text('{"id": "1", "text": "Lovely day at Roose Primary"}\n')
    from config import load_settings

    app = App.open(load_settings(school_dir / "school.toml", environ))
    reports: list[CycleReport] = []
    service = Service(app, on_cycle=reports.append)
    service.add_jobs(now=datetime.now().astimezone() + timedelta(minutes=1))
    service.scheduler.start(paused=True)
    try:
        for _ in range(3):
            service.source_job("broken")
        service.source_job("imported")
        job = service.scheduler.get_job("source:broken")
        assert job is not None
        assert job.next_run_time > datetime.now().astimezone() + timedelta(minutes=50)
    finally:
        service.scheduler.shutdown(wait=False)
    assert [r.error is not None for r in reports] == [True, True, True, False]
    with app.sessions() as session:
        broken = session.scalar(select(Source).where(Source.name == "broken"))
        assert broken is not None and broken.consecutive_failures == 3
        assert session.scalar(select(Post.external_id)) == "1"
    app.close()


def test_a_source_missing_its_credential_waits_an_hour_and_others_run(
    school_dir: Path, environ: dict[str, str]
) -> None:
    with (school_dir / "school.toml").open("a") as handle:
        handle.write('\n[[sources]]\nname = "x-search"\ntype = "x"\nevery = "15m"\n')
    from config import load_settings

    app = App.open(load_settings(school_dir / "school.toml", environ))
    reports: list[CycleReport] = []
    service = Service(app, on_cycle=reports.append)
    service.add_jobs(now=datetime.now().astimezone() + timedelta(minutes=1))
    service.scheduler.start(paused=True)
    try:
        service.source_job("x-search")
        service.source_job("imported")
        job = service.scheduler.get_job("source:x-search")
        assert job is not None
        assert job.next_run_time > datetime.now().astimezone() + timedelta(minutes=59)
    finally:
        service.scheduler.shutdown(wait=False)
    assert reports[0].permanent and "X_BEARER_TOKEN" in (reports[0].error or "")
    assert reports[1].error is None
    with app.sessions() as session:
        row = session.scalar(select(Source).where(Source.name == "x-search"))
        assert row is not None and row.last_outcome == "error"
    app.close()


def test_an_unexpected_crash_in_a_cycle_is_recorded_not_raised(
    app: App, settings: Settings
) -> None:
    (settings.source("imported").path_option("path") or Path()).write_text("{}\n")
    reports: list[CycleReport] = []
    service = Service(app, on_cycle=reports.append)
    service.add_jobs()
    app.engine.dispose()
    original = app.sessions

    class Exploding:
        def begin(self) -> Any:
            raise RuntimeError("database went away")

        def __call__(self) -> Any:
            raise RuntimeError("database went away")

    app.sessions = Exploding()  # type: ignore[assignment]
    try:
        service.source_job("imported")
    finally:
        app.sessions = original
    assert reports and "database went away" in (reports[0].error or "")


def _start(
    school_dir: Path, environ: dict[str, str], port: int, *extra: str
) -> subprocess.Popen[str]:
    env = {**os.environ, **environ}
    command = [sys.executable, "-m", "monitor", "run", "--config", str(school_dir / "school.toml"),
               "--port", str(port), *extra]  # fmt: skip
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=15)
    return process.returncode, out


def test_run_ingests_on_schedule_answers_health_and_stops_cleanly(
    school_dir: Path, environ: dict[str, str]
) -> None:
    (school_dir / "posts.jsonl").write_text(
        '{"id": "1", "text": "I\'ll hurt Mr Okafor at Roose Primary"}\n'
        '{"id": "2", "text": "Lovely nativity at Roose Primary"}\n'
    )
    port = _free_port()
    process = _start(school_dir, environ, port, "--no-web")
    try:
        status, body = _wait_for(f"http://127.0.0.1:{port}/healthz")
        assert (status, body) == (200, {"alive": True})
        deadline = time.monotonic() + 20
        while True:
            status, ready = _get(f"http://127.0.0.1:{port}/readyz")
            if ready["sources"][0]["last_success"] or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert status == 200 and ready["database"] == "ok"
        assert ready["sources"][0]["name"] == "imported" and not ready["sources"][0]["stale"]
    finally:
        started = time.monotonic()
        code, out = _stop(process)
    assert code == 0, out
    assert time.monotonic() - started < 10
    assert "stopped" in out
    assert "Traceback" not in out
    assert "source=imported outcome=ok fetched=2 new=2" in out
    assert "SCHOOLWATCH_SMTP_URL is not set: alerts are written as .eml files" in out


def test_a_second_instance_leaves_the_scheduler_to_the_first(
    school_dir: Path, environ: dict[str, str]
) -> None:
    first_port, second_port = _free_port(), _free_port()
    first = _start(school_dir, environ, first_port, "--no-web")
    try:
        _wait_for(f"http://127.0.0.1:{first_port}/healthz")
        second = _start(school_dir, environ, second_port, "--no-web")
        try:
            status, _ = _wait_for(f"http://127.0.0.1:{second_port}/healthz")
            assert status == 200
        finally:
            _, second_out = _stop(second)
    finally:
        code, first_out = _stop(first)
    assert code == 0
    assert "another Schoolwatch process runs the scheduler" in second_out
    assert "scheduler started" in first_out


def test_a_port_in_use_is_one_line_and_exit_2(
    school_dir: Path, environ: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = _start(school_dir, environ, port, "--no-web")
        out, _ = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "cannot listen on 127.0.0.1" in out and "Traceback" not in out


def test_status_prints_readiness(
    school_dir: Path, environ: dict[str, str], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from monitor.cli import main

    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    assert main(["status", "--config", str(school_dir / "school.toml")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ready"] and report["sources"][0]["stale"] is True
    assert report["outbox"] == {
        "pending": 0,
        "failed": 0,
        "sent": 0,
        "written_to_files": 0,
        "delivery": "files",
        "oldest_unsent_seconds": None,
        "urgent_unsent_seconds": None,
        "oldest_unsent_error": None,
    }
    assert report["quarantined_posts"] == 0


def test_the_digest_is_scheduled_at_its_time_with_a_catch_up(app: App) -> None:
    service = Service(app)
    service.add_jobs()
    jobs = {job.id: job for job in service.scheduler.get_jobs()}
    assert {"source:imported", "outbox", "retention", "digest", "digest-catch-up"} <= set(jobs)
    assert str(jobs["digest"].trigger) == (
        "cron[day_of_week='mon,tue,wed,thu,fri', hour='7', minute='30']"
    )


def test_the_weekly_retrain_is_off_by_default_and_scheduled_when_asked_for(
    app: App, school_dir: Path, environ: dict[str, str]
) -> None:
    service = Service(app)
    service.add_jobs()
    assert service.scheduler.get_job("retrain") is None
    config = school_dir / "school.toml"
    config.write_text(config.read_text() + '\n[learning]\nretrain = "weekly"\nday = "sat"\n')
    weekly = Service(App(load_settings(config, environ), app.engine, app.sessions))
    weekly.add_jobs()
    job = weekly.scheduler.get_job("retrain")
    assert job is not None
    assert str(job.trigger) == "cron[day_of_week='sat', hour='2', minute='30']"


def test_run_serves_the_review_page_behind_a_login(
    school_dir: Path, environ: dict[str, str]
) -> None:
    port = _free_port()
    process = _start(school_dir, environ, port)
    try:
        status, body = _wait_for(f"http://127.0.0.1:{port}/healthz")
        assert (status, body) == (200, {"alive": True})
        status, ready = _get(f"http://127.0.0.1:{port}/readyz")
        assert status == 200 and ready["database"] == "ok"

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any) -> None:
                return None

        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as caught:
            opener.open(f"http://127.0.0.1:{port}/", timeout=5)
        with caught.value as redirect:
            assert redirect.code == 302
            assert "/login" in redirect.headers["Location"]
    finally:
        code, out = _stop(process)
    assert code == 0, out
