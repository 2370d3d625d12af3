"""``schoolwatch worker``: the jobs of ``monitor/jobs.py`` as tasks of procrastinate, a task queue
that lives in PostgreSQL, run by any number of worker processes on any number of machines.

Every worker also runs procrastinate's periodic deferrer, which defers each source's cycle at
its ``every``, the deployment's relay and digest each minute (one job each, walking every
school), and so on; the database defers each tick once however many workers see it. A queueing
lock per (school, source) keeps at most one cycle of a source waiting, and a lock keeps at most
one running; the relay and the digest each have one of their own. A cycle that fails for a
reason that may pass (a 503, a lost connection) is retried with the outbox's backoff; a
permanent failure waits for the next tick."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import procrastinate
import psycopg
from procrastinate import JobContext, RetryDecision
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Job
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.exc import OperationalError as DatabaseDown

from config import ConfigError, Settings
from monitor import jobs
from monitor.app import App
from monitor.deployment import Deployment
from monitor.outbox import backoff
from monitor.sharing import SharedFetch, covered, deployment_fetches

log = logging.getLogger(__name__)

RETRY_FIRST = timedelta(seconds=30)  # the outbox's first wait; it doubles up to RETRY_CAP
RETRY_CAP = timedelta(hours=1)
RETRY_ATTEMPTS = 8  # then the job fails, and the source's next tick tries again
SCHEMA_LOCK = 0x5C40_5C4E  # advisory lock: one process applies procrastinate's schema
MIGRATE_LOCK = 0x5C40_5C4D  # and one brings Schoolwatch's own schema up to date
KEEP_JOBS_HOURS = 72  # finished jobs stay this long for `procrastinate` inspection, then go
STALLED_AFTER = 60.0  # seconds without a heartbeat (sent every 10 s) before a worker is lost
DUE_LATE = 24 * 3600  # a tick missed while no worker ran is still deferred (the latest one)


class Transient(Exception):
    """A job failed for a reason that may pass: try it again after a while."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Backoff(procrastinate.BaseRetryStrategy):
    """The outbox's backoff (doubling, jittered, capped), for transient failures only, and
    never sooner than the platform asked."""

    def __init__(self, first: timedelta = RETRY_FIRST, attempts: int = RETRY_ATTEMPTS) -> None:
        self.first, self.attempts = first, attempts

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if not isinstance(exception, Transient | DatabaseDown | psycopg.OperationalError):
            return None
        if job.attempts + 1 >= self.attempts:
            return None
        delay = backoff(job.attempts + 1, self.first, RETRY_CAP).total_seconds()
        if isinstance(exception, Transient) and exception.retry_after:
            delay = max(delay, exception.retry_after)
        log.info("job %s failed (%s): retried in %.1fs", job.call_string, exception, delay)
        return RetryDecision(retry_at=datetime.now(UTC) + timedelta(seconds=delay))


def conninfo(database_url: str) -> str:
    """The libpq form of a SQLAlchemy PostgreSQL URL (procrastinate speaks psycopg directly)."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        raise ConfigError("SCHOOLWATCH_DATABASE_URL is not a database URL; use e.g. "
                          "postgresql://user:password@host/schoolwatch") from None  # fmt: skip
    if url.get_backend_name() != "postgresql":
        raise ConfigError(
            "workers need PostgreSQL: set SCHOOLWATCH_DATABASE_URL to a postgresql:// URL, "
            "or use `schoolwatch run`, which schedules the jobs itself on SQLite"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _relay_soon(app: procrastinate.App, school: str) -> None:
    """Defer a relay now, unless one is already waiting: new cases' e-mails go at once."""
    with contextlib.suppress(AlreadyEnqueued):
        app.configure_task("schoolwatch.relay", queueing_lock=f"relay:{school}",
                           lock=f"outbox:{school}").defer(school=school)  # fmt: skip


def cycle_task(context: JobContext, school: str, source: str, timestamp: int = 0) -> None:
    report = jobs.cycle(school, source)
    if report.busy:  # a `schoolwatch fetch` by hand has it; the next tick comes soon enough
        return
    if report.error and not report.permanent:
        raise Transient(report.error, report.retry_after)
    every = jobs.app_for(school).settings.source(source).every_seconds
    if report.error:  # nothing changes until someone fixes it: an hour at least, as `run` waits
        _hold(context.app, school, source, jobs.retry_delay(1, every, True, None))
    elif report.pause:  # the platform asked for a rest
        _hold(context.app, school, source, max(report.pause, float(every)))
    if report.cases_opened:
        _relay_soon(context.app, school)


def _hold(app: procrastinate.App, school: str, source: str, seconds: float) -> None:
    """Queue the source's next cycle ``seconds`` from now: while it waits, its queueing lock
    turns the periodic ticks away."""
    _hold_task(app, "schoolwatch.cycle", f"cycle:{school}:{source}", source, seconds,
               school=school, source=source)  # fmt: skip


def _hold_task(
    app: procrastinate.App, task: str, lock: str, what: str, seconds: float, **kwargs: Any
) -> None:
    deferrer = app.configure_task(task, queueing_lock=lock, lock=lock,
                                  schedule_in={"seconds": round(seconds)})  # fmt: skip
    for _ in range(3):  # a tick deferred while this job ran is waiting: it gives way
        try:
            deferrer.defer(**kwargs)
        except AlreadyEnqueued:
            for waiting in app.job_manager.list_jobs(queueing_lock=lock, status="todo"):
                if waiting.id is not None:
                    app.job_manager.cancel_job_by_id(waiting.id, delete_job=True)
            continue
        log.info("source=%s next_try_in=%.0fs", what, seconds)
        return


def shared_cycle_task(context: JobContext, key: str, timestamp: int = 0) -> None:
    """One shared fetch for its member schools; retried and held as a cycle is."""
    report = jobs.shared_cycle(key)
    if report.error and not report.permanent:
        raise Transient(report.error, report.retry_after)
    fetch = jobs.shared_fetch(key)
    every = jobs.shared_every(fetch)
    if report.error:
        _hold_task(context.app, "schoolwatch.shared_cycle", key, key,
                   jobs.retry_delay(1, every, True, None), key=key)  # fmt: skip
    elif report.pause:
        _hold_task(context.app, "schoolwatch.shared_cycle", key, key,
                   max(report.pause, float(every)), key=key)  # fmt: skip
    for school, delivered in report.schools.items():
        if delivered.cases_opened:
            _relay_soon(context.app, school)


def relay_task(school: str, timestamp: int = 0) -> None:
    """One school's relay, deferred when its cycle opened cases (and by workers before the
    relay became deployment-wide)."""
    jobs.relay(school)


def digest_task(school: str, timestamp: int = 0) -> None:
    """One school's digest: a job deferred by a worker before the digest became
    deployment-wide still runs."""
    jobs.digest(school)


def relay_all_task(timestamp: int = 0) -> None:
    """Every served school's relay, each in its own sessions (``jobs.for_each_school``)."""
    jobs.relay_all()


def digest_all_task(timestamp: int = 0) -> None:
    jobs.digest_all()


def reminders_task(context: JobContext, school: str, timestamp: int = 0) -> None:
    if jobs.reminders(school).queued:
        _relay_soon(context.app, school)


def retention_task(school: str, timestamp: int = 0) -> None:
    jobs.retention(school)


def retrain_task(school: str, timestamp: int = 0) -> None:
    from monitor.learning import retrain

    app = jobs.app_for(school)
    retrain(app, public_data=app.settings.learning.public_data)


async def prune_task(context: JobContext, timestamp: int = 0) -> None:
    """Finished jobs leave the queue's tables after a while (failed ones stay to be seen)."""
    await context.app.job_manager.delete_old_jobs(nb_hours=KEEP_JOBS_HOURS)


async def rescue_task(context: JobContext, timestamp: int = 0) -> None:
    """A job whose worker died (killed, machine lost) is queued again once the worker's
    heartbeat is stale; the job functions are safe to run twice."""
    manager = context.app.job_manager
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER):
        log.warning("job %s was left running by a lost worker: queued again", job.call_string)
        await manager.retry_job(job)


def queue_app(database_url: str, *, retry_first: timedelta = RETRY_FIRST) -> procrastinate.App:
    """A procrastinate App on the deployment's database with Schoolwatch's tasks registered."""
    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(conninfo=conninfo(database_url)),
        periodic_defaults={"max_delay": DUE_LATE},
    )
    retry = Backoff(retry_first)
    for plain in (relay_task, digest_task, relay_all_task, digest_all_task, retention_task,
                  retrain_task):  # fmt: skip
        app.task(name=_name(plain), retry=retry)(plain)
    for with_context in (cycle_task, shared_cycle_task, reminders_task):
        app.task(name=_name(with_context), retry=retry, pass_context=True)(with_context)
    app.task(name="schoolwatch.prune", pass_context=True)(prune_task)
    app.task(name="schoolwatch.rescue", pass_context=True)(rescue_task)
    return app


def _name(func: Any) -> str:
    return "schoolwatch." + str(func.__name__).removesuffix("_task")


def cron_every(seconds: int) -> str:
    """A cron line (seconds as the 6th field) for "every ``seconds``": exact when the interval
    divides its minute, hour or day; otherwise the nearest step below (it runs more often)."""
    if seconds < 60:
        return f"* * * * * */{seconds}"
    if seconds < 3600:
        return f"*/{seconds // 60} * * * *"
    if seconds < 86400:
        return f"0 */{seconds // 3600} * * *"
    return f"0 0 */{min(seconds // 86400, 31)} * *"


def schedule(
    app: procrastinate.App, school: str, settings: Settings, shared: frozenset[str] = frozenset()
) -> None:
    """Register the school's periodic jobs; each tick is deferred once across all workers. The
    sources named in ``shared`` are fetched by shared fetches (:func:`schedule_shared`)."""

    def every(cron: str, task: str, periodic_id: str, lock: str, **kwargs: Any) -> None:
        """``periodic_id`` is also the queueing lock: one job of it waits at a time."""
        app.periodic(cron=cron, periodic_id=periodic_id, queueing_lock=periodic_id, lock=lock,
                     task_kwargs={"school": school, **kwargs})(app.tasks[task])  # fmt: skip

    for source in settings.sources:
        if source.name in shared:
            continue
        lock = f"cycle:{school}:{source.name}"
        every(cron_every(source.every_seconds), "schoolwatch.cycle", lock, lock,
              source=source.name)  # fmt: skip
    every("*/15 * * * *", "schoolwatch.reminders", f"reminders:{school}", f"reminders:{school}")
    every("15 3 * * *", "schoolwatch.retention", f"retention:{school}", f"retention:{school}")
    learning = settings.learning
    if learning.retrain == "weekly":
        every(f"30 {learning.hour} * * {learning.day}", "schoolwatch.retrain",
              f"retrain:{school}", f"retrain:{school}")  # fmt: skip


def schedule_shared(app: procrastinate.App, fetch: SharedFetch) -> None:
    """A shared fetch's periodic job, at the shortest ``every`` of its members; its key is the
    job's periodic id, queueing lock and lock (the key changes when the members do)."""
    key = jobs.register_shared(fetch)
    task = app.tasks["schoolwatch.shared_cycle"]
    cron = cron_every(jobs.shared_every(fetch))
    app.periodic(cron=cron, periodic_id=key, queueing_lock=key, lock=key,
                 task_kwargs={"key": key})(task)  # fmt: skip


def schedule_deployment(app: procrastinate.App) -> None:
    """The deployment's own periodic jobs, once whatever the number of schools: the relay and
    the digest each walk every school once a minute (one job each, not one per school); each
    keeps at most one waiting and one running. A relay of one school deferred after new cases
    may run beside them: each e-mail is claimed before it is sent, so none goes twice."""
    for name in ("relay", "digest"):
        # The digest's walk each minute: queue_once knows each school's days, time and
        # timezone, and queues at most one digest a day.
        app.periodic(cron="* * * * *", periodic_id=name, queueing_lock=name, lock=name)(
            app.tasks[f"schoolwatch.{name}_all"]
        )
    app.periodic(cron="45 3 * * *", periodic_id="prune", queueing_lock="prune")(
        app.tasks["schoolwatch.prune"]
    )
    app.periodic(cron="* * * * *", periodic_id="rescue", queueing_lock="rescue")(
        app.tasks["schoolwatch.rescue"]
    )


def ensure_schema(app: procrastinate.App, database_url: str) -> bool:
    """Apply procrastinate's schema if the database has none; True if this call applied it.
    Under an advisory lock, so two workers starting at once apply it once."""
    with psycopg.connect(conninfo(database_url), autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            row = connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
            if row is not None and row[0] is not None:
                return False
            app.open()
            try:
                app.schema_manager.apply_schema()
            finally:
                app.close()
            log.info("procrastinate's schema applied")
            return True
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


def open_app(settings: Settings) -> App:
    """``App.open`` under an advisory lock: replicas starting together would otherwise race
    to migrate a fresh database (a duplicate key in Alembic's own table)."""
    with psycopg.connect(conninfo(settings.database_url), autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
        try:
            return App.open(settings)
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))


def open_apps(deployment: Deployment, slug: str | None = None) -> list[App]:
    """Every school's App of the deployment (or the one ``slug`` names), opened under the
    advisory lock: the first opening migrates the shared database."""
    url = deployment.settings.database_url
    with psycopg.connect(conninfo(url), autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
        try:
            return [deployment.app(slug)] if slug else deployment.apps()
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK,))


def schedule_all(queue: procrastinate.App, schools: list[App]) -> list[SharedFetch]:
    """Register every school's periodic jobs and the deployment's; the shared fetches. One plan
    for every school served here: a source several schools share is fetched once for all of
    them; a one-school worker plans nothing shared."""
    slugs = dict(zip(jobs.serve(schools), schools, strict=True))
    fetches = deployment_fetches({slug: app.settings for slug, app in slugs.items()})
    sharing = covered(fetches)
    for slug, app in slugs.items():
        schedule(queue, slug, app.settings,
                 frozenset(source for school, source in sharing if school == slug))  # fmt: skip
    for fetch in fetches:
        schedule_shared(queue, fetch)
    schedule_deployment(queue)
    return fetches


def run_worker(apps: App | list[App], concurrency: int = 1, **options: Any) -> int:
    """Work for every school of ``apps`` until SIGTERM or SIGINT, then finish the running jobs
    and stop; the exit code. Any worker runs any school's jobs: each job names its school."""
    schools = [apps] if isinstance(apps, App) else apps
    url = schools[0].settings.database_url
    queue = queue_app(url)
    fetches = schedule_all(queue, schools)
    sharing = covered(fetches)
    ensure_schema(queue, url)
    name = f"{socket.gethostname()}:{os.getpid()}"
    if not log.isEnabledFor(logging.DEBUG):  # a line per job each minute drowns the outcomes
        logging.getLogger("procrastinate").setLevel(logging.WARNING)
    log.info("worker %s started: %d school(s), %d sources, %d shared fetch(es) for %d of them, "
             "concurrency %d", name, len(schools), sum(len(a.settings.sources) for a in schools),
             len(fetches), len(sharing), concurrency)  # fmt: skip
    queue.run_worker(name=name, concurrency=concurrency, install_signal_handlers=True, **options)
    log.info("worker %s stopped", name)
    return 0
