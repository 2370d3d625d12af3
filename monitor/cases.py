"""Flags become cases: a flagged post joins its author's or thread's open case, or opens one;
urgent cases queue their e-mail in the same transaction, the rest wait for the digest."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alerts import CaseMail, Span
from alerts.drafts import case_drafts
from alerts.render import apply_spans, render_case
from classifiers import Result
from config import CATEGORIES, SEVERITIES, Settings
from models import Case, CaseEvent, CaseSequence, Flag, OutboxEmail, Post, utcnow
from models.tenancy import school_of
from monitor.casefile import case_facts, redact_piece, shift_spans
from monitor.outbox import NOTIFY
from monitor.unclaimed import NOTE as UNSURE_NOTE
from monitor.workflow import CLOSED

SYSTEM_ACTOR = "schoolwatch"


def next_reference(session: Session, when: datetime) -> str:
    """``SW-<year>-<nnnn>``, numbered per school and year; the row lock keeps two writers
    apart."""
    year = when.year
    # The year's row made if missing, and never twice: two workers opening the year's first
    # cases at once would otherwise both insert it and one would fail on the duplicate key.
    make = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        make(CaseSequence)
        .values(school_id=school_of(session), year=year, last=0)
        .on_conflict_do_nothing(index_elements=["school_id", "year"])
    )
    locked = select(CaseSequence).where(CaseSequence.year == year).with_for_update()
    row = session.scalars(locked.execution_options(populate_existing=True)).one()
    row.last += 1
    session.flush()
    return f"SW-{year}-{row.last:04d}"


def worst(severities: list[str]) -> str:
    return min(severities, key=SEVERITIES.index)


def record_result(session: Session, post: Post, result: Result, model_version: str) -> None:
    """Store what the classifier said about a post (its flags and the people it names)."""
    now = utcnow()
    post.relevant = result.relevant
    post.classified_at = now
    post.mentions = [m.to_json() for m in result.mentions] if result.relevant else None
    for flag in result.flags:
        post.flags.append(
            Flag(
                post_id=post.id,
                category=flag.category,
                score=flag.score,
                severity=flag.severity,
                evidence=[e.to_json() for e in flag.evidence],
                reason=flag.reason,
                stage=flag.stage,
                model_version=model_version,
                status="open",
                created_at=now,
            )
        )


def _when(post: Post) -> datetime:
    return post.created_at or post.fetched_at


def _same_kind(categories: set[str], case: Case) -> bool:
    """Whether a post by the case's author belongs with it: they share a category, or they are
    not a complaint alone and a pupil named alone. A parent's moan about the office and the same
    parent's lost-coat notice naming a child are two matters; the second must not turn the first
    into a pupil case. A complaint that grows into calling the Head a liar stays one."""
    theirs = set(case.categories)
    if categories & theirs:
        return True
    kinds = {frozenset(categories), frozenset(theirs)}
    return kinds != {frozenset({"complaint"}), frozenset({"pupil"})}


def find_open_case(
    session: Session, post: Post, window: timedelta, categories: set[str] | None = None
) -> tuple[Case, str] | None:
    """The open case holding a post in the same thread, or by the same author, within ``window``;
    by author alone only a case of the same kind (see :func:`_same_kind`) when ``categories``
    (the post's) are given."""
    author, thread = post.author_key, post.thread_key
    same = [Post.author_key == author] if author else []
    same += [Post.thread_key == thread] if thread else []
    if not same:
        return None
    when = _when(post)
    stamp = func.coalesce(Post.created_at, Post.fetched_at)
    others = session.scalars(
        select(Post)
        .join(Case, Post.case_id == Case.id)
        .where(Post.platform == post.platform, Post.id != post.id, or_(*same))
        .where(Case.status.not_in(CLOSED))
        .where(stamp >= when - window, stamp <= when + window)
        .order_by(Case.id.desc(), Post.id.desc())
        .limit(20)
    )
    for other in others:
        if other.case is None:
            continue
        if thread and other.thread_key == thread:
            return other.case, "same thread"
        if categories is None or _same_kind(categories, other.case):
            return other.case, "same author"
    return None


def open_case(session: Session, post: Post, settings: Settings) -> Case | None:
    """File a flagged post without a case: join an open case, or open one and return it.
    Either way the case is routed (urgent ones e-mailed now). Idempotent."""
    if post.case_id is not None or not post.flags:
        return None
    now = utcnow()
    window = timedelta(seconds=settings.alerts.group_window_seconds)
    categories = [f.category for f in post.flags]
    # A post no member school could be named for opens a case of its own: joining an author's
    # case would pass the guess on to that case's severity and e-mails.
    unsure = post.unclaimed is not None
    found = None if unsure else find_open_case(session, post, window, set(categories))
    if found is not None:
        case, why = found
        post.case_id = case.id
        merged = set(case.categories) | set(categories)
        case.categories = [c for c in CATEGORIES if c in merged]
        case.severity = worst([case.severity, *(f.severity for f in post.flags)])
        case.updated_at = now
        session.add(
            CaseEvent(case_id=case.id, actor=SYSTEM_ACTOR, action="post_added",
                      detail=f"{post.platform} post {post.external_id} ({why}): "
                             f"{', '.join(categories)}", created_at=now)
        )  # fmt: skip
        session.flush()
        session.refresh(case, ["posts"])
        route_case(session, case, settings)
        return None
    case = Case(
        reference=next_reference(session, now),
        status="new",
        severity=worst([f.severity for f in post.flags]),
        categories=categories,
        created_at=now,
        updated_at=now,
        posts=[post],
        events=[
            CaseEvent(actor=SYSTEM_ACTOR, action="opened",
                      detail=f"flagged: {', '.join(categories)}"
                      + (f" ({UNSURE_NOTE})" if unsure else ""), created_at=now)
        ],
    )  # fmt: skip
    session.add(case)
    session.flush()
    route_case(session, case, settings)
    return case


def alert_state(case: Case) -> str:
    """What an immediate e-mail is about: a case is e-mailed at once once per severity and
    set of categories."""
    return f"{case.severity}:{'+'.join(sorted(case.categories))}"


def case_state(case: Case) -> str:
    """What the Headteacher has been told about: severity, categories and how many posts."""
    return f"{alert_state(case)}:{len(case.posts)}"


def route_case(session: Session, case: Case, settings: Settings) -> OutboxEmail | None:
    """Queue the immediate e-mail for a case whose severity is routed so and whose state has
    not been e-mailed; anything else waits for the digest."""
    if case.status in CLOSED or case.severity not in settings.alerts.immediate:
        return None
    key = f"case:{case.reference}:{alert_state(case)}"
    if session.scalar(select(OutboxEmail.id).where(OutboxEmail.dedup_key == key)) is not None:
        return None
    return queue_case_email(session, case, settings, key)


def queue_notices(session: Session, case: Case, settings: Settings, key: str) -> None:
    """The second channel for the case's severity, if any: one short notice, no post text (it
    may name a pupil), the case's categories, platforms and link; sent apart from e-mail."""
    urls = settings.alerts.notify.get(case.severity, ())
    notice_key = f"notify:{key}"[:200]
    if not urls or session.scalar(
        select(OutboxEmail.id).where(OutboxEmail.dedup_key == notice_key)
    ):
        return
    label = "URGENT" if case.severity == "urgent" else case.severity.upper()
    platforms = ", ".join(sorted({p.platform for p in case.posts})) or "a post"
    link = f"{settings.alerts.base_url}/cases/{case.reference}"
    text = (
        f"{label} {case.reference} at {settings.school.name}: "
        f"{', '.join(case.categories)} on {platforms}. Read it and act: {link}"
    )
    session.add(OutboxEmail(
        dedup_key=notice_key, case_id=case.id, kind=NOTIFY, recipients=list(urls),
        sender=settings.alerts.sender, subject=f"{label} {case.reference}: "
        f"{', '.join(case.categories)}", body_text=text, body_html="", status="pending",
        attempts=0, created_at=utcnow(),
    ))  # fmt: skip


def queue_case_email(
    session: Session, case: Case, settings: Settings, key: str | None = None
) -> OutboxEmail:
    redact = not settings.alerts.include_pupil_names
    facts = case_facts(case, settings, redact=redact)
    rendered = render_case(facts, case_drafts(facts))
    email = OutboxEmail(
        dedup_key=key or f"case:{case.reference}:{alert_state(case)}",
        case_id=case.id,
        kind="urgent" if case.severity == "urgent" else "case",
        recipients=list(settings.alerts.recipients_for(case.severity, case.categories)),
        sender=settings.alerts.sender,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        status="pending",
        attempts=0,
        created_at=utcnow(),
    )
    session.add(email)
    queue_notices(session, case, settings, email.dedup_key)
    case.notified_state = case_state(case)
    session.add(
        CaseEvent(case_id=case.id, actor=SYSTEM_ACTOR, action="email_queued",
                  detail=rendered.subject, created_at=utcnow())
    )  # fmt: skip
    return email


def case_mail(case: Case, post: Post, settings: Settings) -> CaseMail:
    """The foundation's single-post e-mail content, pupils' names as initials unless opted in."""
    redact = not settings.alerts.include_pupil_names
    pupil_spans = [
        Span(m["start"], m["end"], m["initials"])
        for m in (post.mentions or [])
        if m["kind"] == "pupil" and redact
    ]
    evidence_spans = [Span(e["start"], e["end"]) for f in post.flags for e in f.evidence]
    text, _ = apply_spans(post.text, pupil_spans)
    flags: list[dict[str, Any]] = []
    for flag in post.flags:
        quoted = [redact_piece(post.text, e["start"], e["end"], pupil_spans) for e in flag.evidence]
        reason = flag.reason
        for e, shown in zip(flag.evidence, quoted, strict=True):
            reason = reason.replace(repr(e["text"]), repr(shown))
        flags.append({"category": flag.category, "severity": flag.severity,
                      "score": flag.score, "reason": reason})  # fmt: skip
    return CaseMail(
        school=settings.school.name,
        reference=case.reference,
        severity=case.severity,
        categories=list(case.categories),
        platform=post.platform,
        text=text,
        url=post.url,
        author=post.author,
        created=post.created_at.strftime("%d %b %Y %H:%M UTC") if post.created_at else None,
        flags=flags,
        case_url=f"{settings.alerts.base_url}/cases/{case.reference}",
        highlights=shift_spans(evidence_spans, pupil_spans),
    )
