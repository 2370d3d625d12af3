"""One cycle of one source: fetch, store, classify, open cases, queue and send e-mails."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from alerts import sender_from_settings
from classifiers import Classifier, PostInput, Result
from config import ConfigError, SourceSettings
from connectors import Batch, Connector, SourceError, connector_class
from models import Post, utcnow
from monitor.app import App
from monitor.cases import open_case, record_result
from monitor.ingest import source_row, store_batch
from monitor.locks import SourceBusy, source_lock
from monitor.outbox import RelayReport, relay
from monitor.unclaimed import unsure_result
from monitor.usage import ApiCosts, record_usage

log = logging.getLogger(__name__)

BUSY_WAIT = 10.0  # seconds a cycle waits for another process to finish the same source
# Longer posts are classified on their first this-many characters (evidence offsets still index the
# stored text); spaCy refuses a text of a million and slows on long runs of one symbol.
CLASSIFY_CHARS = 20_000


@dataclass
class CycleReport:
    source: str
    fetched: int = 0
    new: int = 0
    skipped: int = 0
    quarantined: int = 0
    relevant: int = 0
    flagged: int = 0
    categories: Counter[str] = field(default_factory=Counter)
    cases_opened: list[str] = field(default_factory=list)
    emails: RelayReport = field(default_factory=RelayReport)
    error: str | None = None
    permanent: bool = False
    busy: bool = False
    retry_after: float | None = None
    pause: float | None = None  # the platform asked for a rest after a successful cycle
    seconds: float = 0.0


def make_connector(app: App, source: SourceSettings) -> Connector:
    return connector_class(source.type).from_settings(source, app.settings)


def run_cycle(app: App, source_name: str, *, send: bool = True) -> CycleReport:
    """Run one cycle under the source's lock; a SourceError is recorded on the source and in the
    report, not raised. If another process is running this source, the report says so (``busy``)."""
    try:
        # Two schools of a deployment may both have a source called "imported".
        lock_name = f"{app.settings.tenant}/{source_name}" if app.settings.tenant else source_name
        with source_lock(app.engine, app.settings.data_dir, lock_name, wait=BUSY_WAIT):
            return _run_cycle(app, source_name, send)
    except SourceBusy:
        log.warning("source=%s outcome=busy: another process is running it", source_name)
        return CycleReport(
            source=source_name, busy=True, error="another process is running this source now"
        )


class FailureReport(Protocol):
    """What a fetch's report says of its failure (a cycle's and a shared fetch's alike)."""

    error: str | None
    permanent: bool
    retry_after: float | None


def fetch_or_fail(
    connector: Connector, cursor: str | None, report: FailureReport, record: Callable[[str], None]
) -> Batch | None:
    """The opening of every fetch, a school's cycle or a shared one: fetch from ``cursor``; on
    a SourceError, put it in ``report``, show it where ``record`` records it (the source rows),
    and return None, so the caller returns without moving the cursor."""
    try:
        return connector.fetch(cursor)
    except SourceError as exc:
        report.error, report.permanent, report.retry_after = (
            str(exc),
            exc.permanent,
            exc.retry_after,
        )
        record(str(exc))
        return None


def _run_cycle(app: App, source_name: str, send: bool) -> CycleReport:
    started = time.monotonic()
    log.info("source=%s cycle starts", source_name)
    source = app.settings.source(source_name)
    report = CycleReport(source=source_name)
    connector = make_connector(app, source)
    with app.sessions.begin() as session:
        cursor = source_row(session, source.name, source.type).cursor
    batch = fetch_or_fail(
        connector, cursor, report, lambda error: _record_failure(app, source, error)
    )
    if batch is None:
        log.warning("source=%s outcome=error permanent=%s error=%s", source.name,
                    report.permanent, report.error)  # fmt: skip
        report.seconds = time.monotonic() - started
        return report
    for item in batch.skipped:
        log.warning("source=%s skipped %s: %s", source.name, item.where, item.reason)
    with app.sessions.begin() as session:
        row = source_row(session, source.name, source.type)
        new_ids = store_batch(session, row, batch)
        _record_usage(app, session, source, connector, len(batch.posts))
    report.fetched, report.new, report.skipped = len(batch.posts), len(new_ids), len(batch.skipped)
    report.pause = batch.pause
    classify_posts(app, unclassified(app, source.name), report)
    with app.sessions.begin() as session:  # a success only once its posts are classified
        row = source_row(session, source.name, source.type)
        row.last_run_at = row.last_success_at = utcnow()
        row.last_outcome = "ok"
        row.last_error = None
        row.consecutive_failures = 0
    if send:
        report.emails = relay(app.sessions, sender_from_settings(app.settings))
    report.seconds = time.monotonic() - started
    log.info(
        "source=%s outcome=ok fetched=%d new=%d skipped=%d flagged=%d cases=%d duration=%.2fs",
        source.name, report.fetched, report.new, report.skipped, report.flagged,
        len(report.cases_opened), report.seconds,
    )  # fmt: skip
    return report


def _record_usage(
    app: App, session: Session, source: SourceSettings, connector: Connector, posts_read: int
) -> None:
    """This fetch's platform calls (as the connector counted them, else one) and posts read, on
    the school's usage for today (`schoolwatch sources --usage`)."""
    from monitor.jobs import school_slug

    try:
        costs = ApiCosts.from_environ(os.environ)
    except ConfigError as exc:
        log.warning("usage is counted at the default prices: %s", exc)
        costs = ApiCosts()
    counted = getattr(connector, "calls", None)
    calls = counted if isinstance(counted, int) and counted > 0 else 1
    record_usage(session, source.type, [school_slug(app.settings)], calls, posts_read, costs)


def unclassified(app: App, source_name: str) -> list[int]:
    """This source's posts not yet classified: the new ones, and any a failed cycle left behind."""
    with app.sessions() as session:
        query = select(Post.id).where(Post.source_name == source_name, Post.classified_at.is_(None))
        return list(session.scalars(query.order_by(Post.id)))


def classify_posts(app: App, post_ids: list[int], report: CycleReport, chunk: int = 500) -> None:
    """Classify stored posts and open their cases; each chunk commits with its cases and e-mails.

    A chunk first claims its posts (marks them classified if nobody has), so two cycles running
    at once classify each post once: on PostgreSQL the second waits on the row locks and then
    finds them taken; on SQLite the claim takes the write lock."""
    classifier = app.classifier
    scope = app.settings.scope_of
    for start in range(0, len(post_ids), chunk):
        with app.sessions.begin() as session:
            claimed = claim(session, post_ids[start : start + chunk])
            if not claimed:
                continue
            posts = session.scalars(
                select(Post)
                .where(Post.id.in_(claimed))
                .options(selectinload(Post.flags))
                .order_by(Post.id)
            ).all()
            inputs = [
                PostInput(str(p.id), p.text[:CLASSIFY_CHARS], scope(p.source_name)) for p in posts
            ]
            results = _classify_all(classifier, posts, inputs)
            for post, result in zip(posts, results, strict=True):
                if isinstance(result, str):
                    post.quarantine = result
                    report.quarantined += 1
                    continue
                record_result(session, post, result, classifier.version)
                report.relevant += int(result.relevant)
            session.flush()  # every post's result in one batch, before cases look anything up
            for post, result in zip(posts, results, strict=True):
                if isinstance(result, str) or not result.flags:
                    continue
                report.flagged += 1
                report.categories.update(f.category for f in result.flags)
                case = open_case(session, post, app.settings)
                if case is not None:
                    report.cases_opened.append(case.reference)


def claim(session: Session, post_ids: list[int]) -> list[int]:
    """Mark these posts classified unless another cycle already has; the ones we now own."""
    statement = (
        update(Post)
        .where(Post.id.in_(post_ids), Post.classified_at.is_(None))
        .values(classified_at=utcnow())
        .returning(Post.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(session.execute(statement).scalars().all())


def _classify_all(
    classifier: Classifier, posts: Sequence[Post], inputs: list[PostInput]
) -> list[Result | str]:
    """Results in the posts' order: a shared search's unclaimed post is read as if it were about
    the school and keeps only its safety flags, demoted (``monitor.unclaimed``)."""
    unsure = [i for i, post in enumerate(posts) if post.unclaimed is not None]
    if not unsure:
        return _classify(classifier, inputs)
    plain = [i for i in range(len(posts)) if i not in set(unsure)]
    found: dict[int, Result | str] = dict(
        zip(plain, _classify(classifier, [inputs[i] for i in plain]), strict=True)
    )
    read = _classify(classifier, [inputs[i] for i in unsure], all_relevant=True)
    for i, result in zip(unsure, read, strict=True):
        raised = posts[i].unclaimed or []
        found[i] = result if isinstance(result, str) else unsure_result(result, raised)
    return [found[i] for i in range(len(posts))]


def _classify(
    classifier: Classifier, inputs: list[PostInput], all_relevant: bool = False
) -> list[Result | str]:
    """Results in order; a post the classifier fails on gets the reason it is quarantined instead,
    so one hostile post never holds back the others in its chunk."""
    if not inputs:
        return []
    try:
        return list(classifier.classify(inputs, all_relevant))
    except Exception:  # noqa: BLE001 - which post failed is found below, one at a time
        log.warning("classifying a chunk of %d posts failed; classifying them one by one",
                    len(inputs))  # fmt: skip
    found: list[Result | str] = []
    for item in inputs:
        try:
            found.append(classifier.classify([item], all_relevant)[0])
        except Exception as exc:  # noqa: BLE001 - quarantined with its reason, logged
            log.exception("post %s quarantined: the classifier failed on it", item.id)
            found.append(f"the classifier failed on it ({type(exc).__name__})")
    return found


def _record_failure(app: App, source: SourceSettings, error: str) -> None:
    with app.sessions.begin() as session:
        row = source_row(session, source.name, source.type)
        row.last_run_at = utcnow()
        row.last_outcome = "error"
        row.last_error = error[:2000]
        row.consecutive_failures = (row.consecutive_failures or 0) + 1
