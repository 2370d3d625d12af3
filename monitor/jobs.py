"""A school's scheduled work as plain functions, one per kind of job, each taking the school's slug;
and the relay and the digest of every school served here, as one function each (a worker runs
them once a minute for the whole deployment).

Both engines call these: ``schoolwatch run``'s in-process scheduler and the procrastinate
workers of ``schoolwatch worker`` (``monitor/worker.py``). A job function does its work once
and reports; when to run it again, and whether to retry it, is the engine's business."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from alerts import sender_from_settings
from config import ConfigError, Settings
from models import utcnow
from monitor.app import App
from monitor.app import school_slug as app_school_slug
from monitor.cycle import CycleReport, run_cycle
from monitor.digest import DigestReport, queue_once, send_digest
from monitor.ingest import source_row
from monitor.outbox import RelayReport, backoff
from monitor.outbox import relay as relay_outbox
from monitor.reminders import ReminderReport, send_reminders
from monitor.retention import PurgeReport, purge

if TYPE_CHECKING:
    from monitor.sharing import RelevanceJudge, SharedFetch, SharedReport

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_RETRY = 6 * 3600.0

# The schools this process serves, by slug: one for `schoolwatch run`, the deployment's (or
# one's, `--school`) for a worker.
_apps: dict[str, App] = {}
# The shared fetches this process runs, by key, and each school's relevance judge for them
# (built once per process: a judge holds the school's roster matcher).
_shared: dict[str, SharedFetch] = {}
_judges: dict[str, RelevanceJudge] = {}


def school_slug(settings: Settings) -> str:
    """The school's name in job arguments: its config file's stem, as the deployment names it."""
    return app_school_slug(settings)


def register(app: App) -> str:
    """Serve this school's jobs from ``app``; returns its slug."""
    slug = school_slug(app.settings)
    _apps[slug] = app
    return slug


def serve(apps: Iterable[App]) -> list[str]:
    """Serve exactly these schools (a worker's whole deployment): the schools, shared fetches
    and judges registered before are forgotten. Their slugs."""
    _apps.clear()
    _shared.clear()
    _judges.clear()
    return [register(app) for app in apps]


def served() -> list[str]:
    """The slugs of the schools this process serves, in order."""
    return sorted(_apps)


def app_for(school: str) -> App:
    """The school's ``App``; a ConfigError for a school this process does not serve (a job
    deferred by another deployment sharing the queue)."""
    try:
        return _apps[school]
    except KeyError:
        served = ", ".join(sorted(_apps)) or "none"
        raise ConfigError(f"school {school!r} is not served here (served: {served})") from None


def retry_delay(failures: int, every: int, permanent: bool, retry_after: float | None) -> float:
    """Seconds until a failed source is tried again: exponential with jitter, never a tight loop."""
    if permanent:
        return float(max(every, 3600))
    delay = backoff(failures, cap=timedelta(seconds=MAX_RETRY)).total_seconds()
    return max(delay, retry_after or 0.0)


def cycle(school: str, source: str) -> CycleReport:
    """One cycle of one source, without sending: the relay sends. A failure of the cycle, even a
    crash, is recorded on the source and in the report, not raised; an unknown school or source
    is a ConfigError."""
    app = app_for(school)
    settings = app.settings.source(source)
    try:
        return run_cycle(app, source, send=False)
    except ConfigError as exc:  # e.g. a credential missing: nothing changes until someone fixes it
        log.error("source=%s outcome=config-error error=%s", source, exc)
        _record_crash(app, source, settings.type, str(exc))
        return CycleReport(source=source, error=str(exc), permanent=True)
    except Exception as exc:  # a bug or a lost database must not stop the other sources
        log.exception("source=%s outcome=crash", source)
        report = CycleReport(source=source, error=f"{type(exc).__name__}: {exc}")
        _record_crash(app, source, settings.type, report.error or "")
        return report


def _record_crash(app: App, name: str, kind: str, error: str) -> None:
    try:
        with app.sessions.begin() as session:
            row = source_row(session, name, kind)
            row.last_outcome, row.last_error = "error", error[:2000]
            row.consecutive_failures = (row.consecutive_failures or 0) + 1
    except Exception:
        log.exception("source=%s could not record its failure", name)


def failures(school: str, source: str) -> int:
    """How many cycles of this source have failed in a row (1 if the database cannot say)."""
    from models import Source

    try:
        with app_for(school).sessions() as session:
            row = session.query(Source).filter_by(name=source).one_or_none()
            return row.consecutive_failures if row else 1
    except Exception:
        return 1


def relay(school: str) -> RelayReport:
    """Send what waits in the outbox and is due. Safe beside other relays: each e-mail is
    claimed before it is sent."""
    app = app_for(school)
    report = relay_outbox(app.sessions, sender_from_settings(app.settings))
    if report.sent or report.written or report.retrying or report.failed:
        log.info("outbox: %s", report.summary())
    return report


def digest(school: str) -> DigestReport:
    """Queue today's digest if it is due (at most one a day), then send."""
    report = send_digest(app_for(school))
    if report.queued:
        log.info("digest %s queued with %d cases", report.day, len(report.cases))
    return report


def for_each_school(what: str, work: Callable[[str], T]) -> dict[str, T]:
    """``work(school)`` for every school served here, one after another, each in its own
    school's sessions: a school whose work raises is logged and the others still run. If every
    school failed, the last error is raised, so the engine retries a lost database as it
    retried one school's job before."""
    done: dict[str, T] = {}
    error: Exception | None = None
    for school in served():
        try:
            done[school] = work(school)
        except Exception as exc:  # one school's fault must not hold back the others' e-mail
            log.exception("%s of school %s failed; the other schools go on", what, school)
            error = exc
    if error is not None and not done:
        raise error
    return done


def relay_all() -> dict[str, RelayReport]:
    """The outbox relay of every school served here: one job a minute for the deployment."""
    return for_each_school("outbox relay", relay)


def digest_all(now: datetime | None = None) -> dict[str, DigestReport]:
    """Queue each served school's digest when it is due (at most one a day), and send the
    schools that just queued one; the others' outboxes are the relay's."""

    def one(school: str) -> DigestReport:
        app = app_for(school)
        report = queue_once(app, now or utcnow())
        if report.queued:
            log.info("digest %s queued with %d cases", report.day, len(report.cases))
            report.emails = relay(school)
        return report

    return for_each_school("digest", one)


def reminders(school: str) -> ReminderReport:
    """Queue the reminders whose clocks ran out (never twice for one case and clock)."""
    report = send_reminders(app_for(school))
    if report.queued:
        log.info("reminders queued: %s", ", ".join(report.queued))
    return report


def retention(school: str) -> PurgeReport:
    """Delete what is past its retention period."""
    return purge(app_for(school))


def register_shared(fetch: SharedFetch) -> str:
    """Run ``fetch`` here for its member schools (each registered with :func:`register`)."""
    _shared[fetch.key] = fetch
    return fetch.key


def shared_fetch(key: str) -> SharedFetch:
    """The shared fetch ``key``; a ConfigError for one this process does not run (a job
    deferred before the schools' config changed)."""
    try:
        return _shared[key]
    except KeyError:
        raise ConfigError(
            f"shared fetch {key!r} is not run here (the schools' config changed)"
        ) from None


def shared_every(fetch: SharedFetch) -> int:
    """A shared fetch runs at the shortest ``every`` of its members' sources."""
    return min(app_for(m.school).settings.source(m.source).every_seconds for m in fetch.members)


def _judge(school: str) -> RelevanceJudge:
    from monitor.sharing import RelevanceJudge

    if school not in _judges:
        settings = app_for(school).settings
        _judges[school] = RelevanceJudge(settings.school, settings.roster)
    return _judges[school]


def shared_cycle(key: str) -> SharedReport:
    """One run of a shared fetch: fetch once, deliver each member school its share, advance
    the shared cursor, record the usage split between the members. A failure, even a crash,
    is recorded on every member's source and in the report, not raised; a key this process
    does not run is a ConfigError."""
    from monitor.sharing import SharedReport, run_shared
    from monitor.usage import ApiCosts

    fetch = shared_fetch(key)
    apps = {school: app_for(school) for school in fetch.schools}
    environ = apps[fetch.schools[0]].settings.environ  # the deployment's: any school's copy
    try:
        costs = ApiCosts.from_environ(environ)
    except ConfigError as exc:
        log.warning("usage is counted at the default prices: %s", exc)
        costs = ApiCosts()
    try:
        judges = {school: _judge(school) for school in fetch.schools}
        report = run_shared(fetch, apps, judges, environ, costs)
    except ConfigError as exc:  # e.g. a credential missing: nothing changes until someone fixes it
        log.error("shared=%s outcome=config-error error=%s", key, exc)
        _mark_failed(fetch, apps, str(exc))
        return SharedReport(key, error=str(exc), permanent=True)
    except Exception as exc:  # a bug or a lost database must not stop the other sources
        log.exception("shared=%s outcome=crash", key)
        report = SharedReport(key, error=f"{type(exc).__name__}: {exc}")
        _mark_failed(fetch, apps, report.error or "")
        return report
    if report.error:
        log.warning("shared=%s outcome=error permanent=%s schools=%d error=%s", key,
                    report.permanent, len(fetch.schools), report.error)  # fmt: skip
    else:
        log.info("shared=%s outcome=ok schools=%d calls=%d fetched=%d unclaimed=%d unsure=%d %s",
                 key, len(fetch.schools), report.calls, report.fetched, report.unclaimed,
                 report.unsure,
                 " ".join(f"{s}:new={r.new},cases={len(r.cases_opened)}"
                          for s, r in report.schools.items()))  # fmt: skip
    return report


def _mark_failed(fetch: SharedFetch, apps: dict[str, App], error: str) -> None:
    from monitor.sharing import mark_failed

    try:
        mark_failed(fetch, apps, error)
    except Exception:
        log.exception("shared=%s could not record its failure", fetch.key)
