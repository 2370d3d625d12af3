"""``schoolwatch run``: scheduled sources, outbox relay, retention and the web in one process."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from config import SourceSettings
from monitor import jobs
from monitor.app import App
from monitor.cycle import CycleReport
from monitor.digest import cron_fields
from monitor.health import health_only_app
from monitor.jobs import retry_delay
from monitor.locks import SchedulerLock, queue_workers

log = logging.getLogger(__name__)
MISFIRE_GRACE = 300
RELAY_EVERY = 60
LOCK_CHECK_EVERY = 5.0  # seconds between checks that this process still owns the scheduler


@dataclass
class Service:
    app: App
    scheduler: BackgroundScheduler = field(init=False)
    relay_lock: threading.Lock = field(default_factory=threading.Lock)
    on_cycle: Callable[[CycleReport], None] | None = None
    # Asked before every job: does this process still own the scheduler? (Never run a job that
    # another process may be running too.)
    owns: Callable[[], bool] = lambda: True
    school: str = field(init=False)

    def __post_init__(self) -> None:
        self.school = jobs.register(self.app)
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
        self.scheduler.add_job(
            self.reminder_job, IntervalTrigger(minutes=15), id="reminders", next_run_time=start
        )
        # The digest goes at its time; the quarter-hourly run catches up after a restart that
        # missed it. send_digest sends at most one a day, so the two never double up.
        fields = cron_fields(self.app.settings)
        self.scheduler.add_job(self.digest_job, CronTrigger(**fields), id="digest")
        self.scheduler.add_job(
            self.digest_job, IntervalTrigger(minutes=15), id="digest-catch-up", next_run_time=start
        )
        learning = self.app.settings.learning
        if learning.retrain == "weekly":
            self.scheduler.add_job(
                self.retrain_job,
                CronTrigger(day_of_week=learning.day, hour=learning.hour, minute=30),
                id="retrain",
            )

    def source_job(self, name: str) -> None:
        if not self.owns():
            log.warning("source=%s skipped: this process no longer owns the scheduler", name)
            return
        source = self.app.settings.source(name)
        report = jobs.cycle(self.school, name)
        if self.on_cycle:
            self.on_cycle(report)
        if report.error and not report.busy:
            self._reschedule_after_failure(source, report)
            return
        if report.pause:
            self._rest(source, report.pause)
        if report.cases_opened:
            self.relay_job()

    def _reschedule_after_failure(self, source: SourceSettings, report: CycleReport) -> None:
        failures = jobs.failures(self.school, source.name)
        delay = retry_delay(failures, source.every_seconds, report.permanent, report.retry_after)
        when = datetime.now().astimezone() + timedelta(seconds=delay)
        job = self.scheduler.get_job(f"source:{source.name}")
        if job is not None:
            job.modify(next_run_time=when)
        log.info("source=%s next_try_in=%.0fs", source.name, delay)

    def _rest(self, source: SourceSettings, pause: float) -> None:
        """The platform asked for a rest (a call budget nearly spent): the next cycle waits."""
        delay = max(pause, float(source.every_seconds))
        job = self.scheduler.get_job(f"source:{source.name}")
        if job is not None:
            job.modify(next_run_time=datetime.now().astimezone() + timedelta(seconds=delay))
        log.info("source=%s resting next_try_in=%.0fs", source.name, delay)

    def relay_job(self) -> None:
        if not self.owns() or not self.relay_lock.acquire(blocking=False):
            return
        try:
            jobs.relay(self.school)
        except Exception:
            log.exception("outbox relay failed")
        finally:
            self.relay_lock.release()

    def digest_job(self) -> None:
        if not self.owns() or not self.relay_lock.acquire(blocking=False):
            return
        try:
            jobs.digest(self.school)
        except Exception:
            log.exception("digest failed")
        finally:
            self.relay_lock.release()

    def reminder_job(self) -> None:
        if not self.owns():
            return
        try:
            if jobs.reminders(self.school).queued:
                self.relay_job()
        except Exception:
            log.exception("reminders failed")

    def retrain_job(self) -> None:
        """The weekly learning loop: it only ever promotes a candidate the gate allows."""
        from monitor.learning import retrain

        if not self.owns():
            return
        try:
            retrain(self.app, public_data=self.app.settings.learning.public_data)
        except Exception:
            log.exception("weekly retrain failed; the model in force is unchanged")

    def retention_job(self) -> None:
        if not self.owns():
            return
        try:
            jobs.retention(self.school)
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


@dataclass
class _LockWatch:
    """Keeps the scheduler running in exactly one process: it stops scheduling when this
    process loses the lock (a dropped database connection takes a PostgreSQL advisory lock
    with it) and takes over when the lock is free again."""

    lock: SchedulerLock
    service: Service
    every: float = LOCK_CHECK_EVERY
    owned: bool = False
    _last: float = 0.0
    _first: bool = True
    _stood_down: bool = False

    def tick(self) -> None:
        if time.monotonic() - self._last >= self.every:
            self.check()

    def check(self) -> None:
        self._last = time.monotonic()
        scheduler = self.service.scheduler
        if queue_workers(self.service.app.engine):
            self._leave_to_workers()
            return
        self._stood_down = False
        if self.owned and not self.lock.held():
            self.owned = False
            scheduler.pause()
            log.error("lost the scheduler lock (the database connection was dropped?): "
                      "scheduling paused until this process holds it again")  # fmt: skip
        if not self.owned and self.lock.acquire():
            self.owned = True
            if scheduler.running:
                scheduler.resume()
                log.warning("scheduler lock taken again: scheduling resumed")
            else:
                self.service.add_jobs()
                scheduler.start()
                log.info("scheduler started: %d sources", len(self.service.app.settings.sources))
        elif not self.owned and not scheduler.running and self._first:
            log.warning("another Schoolwatch process runs the scheduler on this database; "
                        "serving the web only, and taking over if it stops")  # fmt: skip
        self._first = False

    def _leave_to_workers(self) -> None:
        """``schoolwatch worker`` processes run the jobs on this database: scheduling them here
        too would only double the work, so this process serves the web, and takes the
        scheduler back if the workers all stop."""
        if self.owned:
            self.service.scheduler.pause()
            self.lock.release()
            self.owned = False
        if not self._stood_down:
            log.warning("`schoolwatch worker` processes run the jobs on this database: "
                        "this process serves the web only while they live")  # fmt: skip
            self._stood_down = True
        self._first = False


def run_service(app: App, host: str, port: int, with_web: bool = True) -> int:
    """Run until SIGTERM or SIGINT; returns the exit code."""
    from waitress import create_server

    # Bind first: a port already in use must fail before any job has run or any lock is held.
    server: Any = create_server(web_app(app, with_web), host=host, port=port, threads=4)
    if not app.settings.smtp_url:
        log.warning("SCHOOLWATCH_SMTP_URL is not set: alerts are written as .eml files under %s "
                    "and reach nobody until an SMTP server is configured",
                    app.settings.outbox_dir)  # fmt: skip
    lock = SchedulerLock(
        app.engine, app.settings.data_dir, app.school_id if app.settings.tenant else 0
    )
    service = Service(app, owns=lock.held)
    watch = _LockWatch(lock, service)
    watch.check()
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
        while not stop.wait(1.0):
            watch.tick()
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
