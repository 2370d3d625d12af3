"""Flags become cases; each new case queues its e-mail in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts import CaseMail, Span, render_case_email
from alerts.render import apply_spans
from classifiers import Result
from config import SEVERITIES, Settings
from models import Case, CaseEvent, CaseSequence, Flag, OutboxEmail, Post, utcnow

SYSTEM_ACTOR = "schoolwatch"


def next_reference(session: Session, when: datetime) -> str:
    """``SW-<year>-<nnnn>``, numbered per year; the row lock keeps two writers apart."""
    year = when.year
    row = session.scalar(select(CaseSequence).where(CaseSequence.year == year).with_for_update())
    if row is None:
        row = CaseSequence(year=year, last=0)
        session.add(row)
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
        session.add(
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


def open_case(session: Session, post: Post, settings: Settings) -> Case | None:
    """Open a case for a flagged post that has none, and queue its e-mail. Idempotent."""
    if post.case_id is not None or not post.flags:
        return None
    now = utcnow()
    categories = [f.category for f in post.flags]
    case = Case(
        reference=next_reference(session, now),
        status="new",
        severity=worst([f.severity for f in post.flags]),
        categories=categories,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    post.case_id = case.id
    session.add(
        CaseEvent(case_id=case.id, actor=SYSTEM_ACTOR, action="opened",
                  detail=f"flagged: {', '.join(categories)}", created_at=now)
    )  # fmt: skip
    queue_case_email(session, case, post, settings)
    return case


def queue_case_email(session: Session, case: Case, post: Post, settings: Settings) -> OutboxEmail:
    rendered = render_case_email(case_mail(case, post, settings))
    email = OutboxEmail(
        dedup_key=f"case:{case.reference}:opened",
        case_id=case.id,
        kind="urgent" if case.severity == "urgent" else "case",
        recipients=list(settings.alerts.recipients),
        sender=settings.alerts.sender,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        status="pending",
        attempts=0,
        created_at=utcnow(),
    )
    session.add(email)
    session.add(
        CaseEvent(case_id=case.id, actor=SYSTEM_ACTOR, action="email_queued",
                  detail=rendered.subject, created_at=utcnow())
    )  # fmt: skip
    return email


def case_mail(case: Case, post: Post, settings: Settings) -> CaseMail:
    """The e-mail's content, with pupils' names reduced to initials unless the school opts in."""
    redact = not settings.alerts.include_pupil_names
    pupil_spans = [
        Span(m["start"], m["end"], m["initials"])
        for m in (post.mentions or [])
        if m["kind"] == "pupil" and redact
    ]
    evidence_spans = [Span(e["start"], e["end"]) for f in post.flags for e in f.evidence]
    text, _ = apply_spans(post.text, pupil_spans)
    highlights = _shift(evidence_spans, pupil_spans)
    flags: list[dict[str, Any]] = []
    for flag in post.flags:
        quoted = [
            _redact_piece(post.text, e["start"], e["end"], pupil_spans) for e in flag.evidence
        ]
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
        highlights=highlights,
    )


def _redact_piece(text: str, start: int, end: int, spans: list[Span]) -> str:
    inner = [Span(s.start - start, s.end - start, s.replacement) for s in spans
             if s.start >= start and s.end <= end]  # fmt: skip
    return apply_spans(text[start:end], inner)[0]


def _shift(highlights: list[Span], replaced: list[Span]) -> list[Span]:
    """Move highlight offsets to where they land after the replacements."""
    result: list[Span] = []
    for h in sorted(highlights, key=lambda s: s.start):
        if any(h.start < r.end and r.start < h.end and not (r.start >= h.start and r.end <= h.end)
               for r in replaced):  # fmt: skip
            continue
        delta_start = sum(
            len(r.replacement or "") - (r.end - r.start) for r in replaced if r.end <= h.start
        )
        delta_inner = sum(len(r.replacement or "") - (r.end - r.start)
                          for r in replaced if r.start >= h.start and r.end <= h.end)  # fmt: skip
        result.append(Span(h.start + delta_start, h.end + delta_start + delta_inner))
    return result
