"""``schoolwatch run``: scheduled sources, outbox relay, retention and the web in one process."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from alerts import sender_from_settings
from config import ConfigError, SourceSettings
from models import Source
from monitor.app import App
from monitor.cycle import CycleReport, run_cycle
from monitor.digest import cron_fields, send_digest
from monitor.health import health_only_app
from monitor.ingest import source_row
from monitor.locks import SchedulerLock
from monitor.outbox import backoff, relay
from monitor.retention import purge

log = logging.getLogger(__name__)
MISFIRE_GRACE = 300
MAX_RETRY = 6 * 3600.0
RELAY_EVERY = 60


def retry_delay(failures: int, every: int, permanent: bool, retry_after: float | None) -> float:
    """Seconds until a failed source is tried again: exponential with jitter, never a tight loop."""
    if permanent:
        return float(max(every, 3600))
    delay = backoff(failures, cap=timedelta(seconds=MAX_RETRY)).total_seconds()
    return max(delay, retry_after or 0.0)


@dataclass
class Service:
    app: App
    scheduler: BackgroundScheduler = field(init=False)
    relay_lock: threading.Lock = field(default_factory=threading.Lock)
    on_cycle: Callable[[CycleReport], None] | None = None
    lock: SchedulerLock | None = None

    def owns_scheduler(self) -> bool:
        """Re-checked before every job: a lock lost with its connection lets another process in."""
        if self.lock is None or self.lock.held():
            return True
        log.error("scheduler lock lost: job skipped; scheduling stops until it is re-acquired")
        self.app.scheduler_state = "lost"
        return False

    def __post_init__(self) -> None:
        self.scheduler = BackgroundScheduler(
            timezone="UTC",
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": MISFIRE_GRACE,
            },
        )

    def add_jobs(self, now: datetime | None = None) -> None:
        start = now or datetime.now().astimezone()
        for source in self.app.settings.sources:
            self.scheduler.add_job(
                self.source_job, IntervalTrigger(seconds=source.every_seconds), args=[source.name],
                id=f"source:{source.name}", name=f"source {source.name}", next_run_time=start,
            )  # fmt: skip
        relay_start = start + timedelta(seconds=5)
        self.scheduler.add_job(
            self.relay_job,
            IntervalTrigger(seconds=RELAY_EVERY),
            id="outbox",
            next_run_time=relay_start,
        )
        self.scheduler.add_job(self.retention_job, CronTrigger(hour=3, minute=15), id="retention")
        # The digest goes at its time; the quarter-hourly run catches up after a restart that
        # missed it. send_digest sends at most one a day, so the two never double up.
        fields = cron_fields(self.app.settings)
        self.scheduler.add_job(self.digest_job, CronTrigger(**fields), id="digest")
        self.scheduler.add_job(
            self.digest_job, IntervalTrigger(minutes=15), id="digest-catch-up", next_run_time=start
        )

    def source_job(self, name: str) -> None:
        if not self.owns_scheduler():
            return
        source = self.app.settings.source(name)
        try:
            report = run_cycle(self.app, name, send=False)
        except (
            ConfigError
        ) as exc:  # e.g. a credential missing: nothing changes until someone fixes it
            log.error("source=%s outcome=config-error error=%s", name, exc)
            report = CycleReport(source=name, error=str(exc), permanent=True)
            self._record_crash(source, str(exc))
        except Exception as exc:  # a bug or a lost database must not stop the other sources
            log.exception("source=%s outcome=crash", name)
            report = CycleReport(source=name, error=f"{type(exc).__name__}: {exc}")
            self._record_crash(source, report.error or "")
        if self.on_cycle:
            self.on_cycle(report)
        if report.error and not report.busy:
            self._reschedule_after_failure(source, report)
        elif report.cases_opened:
            self.relay_job()

    def _record_crash(self, source: SourceSettings, error: str) -> None:
        try:
            with self.app.sessions.begin() as session:
                row = source_row(session, source.name, source.type)
                row.last_outcome, row.last_error = "error", error[:2000]
                row.consecutive_failures = (row.consecutive_failures or 0) + 1
        except Exception:
            log.exception("source=%s could not record its failure", source.name)

    def _failures(self, name: str) -> int:
        try:
            with self.app.sessions() as session:
                row = session.query(Source).filter_by(name=name).one_or_none()
                return row.consecutive_failures if row else 1
        except Exception:
            return 1

    def _reschedule_after_failure(self, source: SourceSettings, report: CycleReport) -> None:
        delay = retry_delay(self._failures(source.name), source.every_seconds, report.permanent,
                            report.retry_after)  # fmt: skip
        when = datetime.now().astimezone() + timedelta(seconds=delay)
        job = self.scheduler.get_job(f"source:{source.name}")
        if job is not None:
            job.modify(next_run_time=when)
        log.info("source=%s next_try_in=%.0fs", source.name, delay)

    def relay_job(self) -> None:
        if not self.owns_scheduler() or not self.relay_lock.acquire(blocking=False):
            return
        try:
            report = relay(self.app.sessions, sender_from_settings(self.app.settings))
            if report.sent or report.retrying or report.failed:
                log.info(
                    "outbox sent=%d retrying=%d failed=%d",
                    report.sent,
                    report.retrying,
                    report.failed,
                )
        except Exception:
            log.exception("outbox relay failed")
        finally:
            self.relay_lock.release()

    def digest_job(self) -> None:
        if not self.owns_scheduler() or not self.relay_lock.acquire(blocking=False):
            return
        try:
            report = send_digest(self.app)
            if report.queued:
                log.info("digest %s queued with %d cases", report.day, len(report.cases))
        except Exception:
            log.exception("digest failed")
        finally:
            self.relay_lock.release()

    def retention_job(self) -> None:
        if not self.owns_scheduler():
            return
        try:
            purge(self.app)
        except Exception:
            log.exception("retention purge failed")


def web_app(app: App, with_web: bool) -> Flask:
    """The review page when it is wanted and installed, else only the health endpoints."""
    if with_web:
        try:
            from monitor.web import create_app
        except ImportError as exc:
            log.warning("the review page cannot load (%s); serving health endpoints only", exc)
        else:
            return create_app(app)
    return health_only_app(app)


LOCK_CHECK_EVERY = 2.0  # seconds between checks that this process still owns the scheduler


def watch_lock(service: Service, lock: SchedulerLock) -> None:
    """Pause the scheduler when its lock is gone (another process may take over); start or resume
    it when this process gets the lock."""
    app, scheduler = service.app, service.scheduler
    if app.scheduler_state == "running":
        if lock.held():
            return
        scheduler.pause()
        app.scheduler_state = "lost"
        log.error("scheduler lock lost (database connection dropped): scheduling paused")
    if not lock.acquire():
        return
    if scheduler.running:
        scheduler.resume()
    else:  # a process that served the web only takes over from one that stopped or lost the lock
        service.add_jobs()
        scheduler.start()
    app.scheduler_state = "running"
    log.warning("scheduler lock acquired: scheduling (re)started")


def run_service(app: App, host: str, port: int, with_web: bool = True) -> int:
    """Run until SIGTERM or SIGINT; returns the exit code."""
    from waitress import create_server

    # Bind first: a port already in use must fail before any job has run or any lock is held.
    server: Any = create_server(web_app(app, with_web), host=host, port=port, threads=4)
    lock = SchedulerLock(app.engine, app.settings.data_dir)
    service = Service(app, lock=lock)
    owns_scheduler = lock.acquire()
    if owns_scheduler:
        service.add_jobs()
        service.scheduler.start()
        app.scheduler_state = "running"
        log.info("scheduler started: %d sources", len(app.settings.sources))
    else:
        log.warning(
            "another Schoolwatch process runs the scheduler on this database; serving the web only"
        )
    log.info("listening on http://%s:%s", host, port)

    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("%s received: stopping", signal.Signals(signum).name)
        stop.set()

    failed: list[BaseException] = []

    def _serve() -> None:
        try:
            server.run()
        except Exception as exc:  # closing the server under its own loop is expected when stopping
            if not stop.is_set():
                log.exception("the web server stopped")
                failed.append(exc)
                stop.set()

    previous = {s: signal.signal(s, _stop) for s in (signal.SIGTERM, signal.SIGINT)}
    web_thread = threading.Thread(target=_serve, name="web", daemon=True)
    web_thread.start()
    try:
        while not stop.wait(LOCK_CHECK_EVERY):
            watch_lock(service, lock)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        server.task_dispatcher.shutdown()
        server.close()
        if service.scheduler.running:
            service.scheduler.shutdown(wait=True)
        lock.release()
        log.info("stopped")
    return 1 if failed else 0
