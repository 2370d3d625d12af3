"""Following a case through: who has it, the platform's and the police's references, the outcome,
the procedure's steps done (in any order), and the letters as they were sent.

Each change goes on the case's timeline in plain words; the caller writes the audit log and commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import Settings
from models import Case, CaseEvent, CaseLetter, CaseStep, User, utcnow

OUTCOMES: tuple[tuple[str, str], ...] = (
    ("removed", "removed"),
    ("refused", "removal refused"),
    ("resolved_with_parent", "resolved with the parent"),
    ("referred_to_police", "referred to the police"),
    ("no_action", "no action"),
)
OUTCOME_WORDS = dict(OUTCOMES)
STEPS: tuple[tuple[str, str], ...] = (
    ("talk_to_parent", "Talked to the parent"),
    ("written_warning", "Written warning sent"),
    ("legal_advice", "Legal advice taken"),
    ("police", "Reported to the police"),
    ("block_access", "Access blocked"),
    ("ask_host", "Host asked to remove the post"),
    ("page_admin", "Hidden, deleted or banned as Page admin"),
)
STEP_WORDS = dict(STEPS)
# Only a post on the school's own Facebook Page can be taken down by the school itself.
PAGE_ADMIN_STEP = "page_admin"
PAGE_ADMIN_HOWTO = (
    "This post is on the school's own Facebook Page, so the school can act on it now, as the "
    "Page's admin. First download the evidence pack: once deleted, the post is gone from "
    "Facebook. Then open the post or comment on the Page, choose the three dots (…) beside it, "
    "and choose Hide (only the writer and their friends still see it) or Delete. To stop the "
    "same person posting again, choose Ban from Page on their name (or Page settings, then "
    "People, then Banned people). Then tick the step below."
)
# Sending one of these letters or drafts is doing the step, so keeping it ticks the step too.
SENT_TICKS = {
    "warning": "written_warning",
    "platform": "ask_host",
    "privacy": "ask_host",
    "defamation": "ask_host",
    "police": "police",
}


# Timeline actions whose detail is already a whole sentence in plain words.
WORDED_ACTIONS = frozenset(
    {"assigned", "unassigned", "reference", "outcome", "step_done", "step_undone", "letter_sent"}
)


class FollowUpError(ValueError):
    """A change that cannot be made: an unknown step, outcome or user."""


@dataclass(frozen=True)
class Change:
    """What changed, in the words the timeline and the audit log use."""

    action: str
    detail: str


def _event(session: Session, case: Case, actor: str, change: Change) -> Change:
    now = utcnow()
    case.updated_at = now
    session.add(CaseEvent(case_id=case.id, actor=actor, action=change.action,
                          detail=change.detail, created_at=now))  # fmt: skip
    return change


def own_page_sources(settings: Settings) -> frozenset[str]:
    return frozenset(s.name for s in settings.sources if s.type == "facebook_page")


def on_own_page(case: Case, settings: Settings) -> bool:
    """Whether any of the case's posts came from the school's own Facebook Page source."""
    mine = own_page_sources(settings)
    return any(p.source_name in mine for p in case.posts)


def steps_for(case: Case, settings: Settings, own: bool | None = None) -> list[tuple[str, str]]:
    """The steps that apply to ``case``: the Page admin step only for a post on the own Page
    (``own``: whether it has one, when the caller knows without its posts loaded)."""
    own = on_own_page(case, settings) if own is None else own
    return [(code, label) for code, label in STEPS if code != PAGE_ADMIN_STEP or own]


def steps_done(session: Session, case: Case) -> dict[str, CaseStep]:
    rows = session.scalars(select(CaseStep).where(CaseStep.case_id == case.id))
    return {row.step: row for row in rows}


def assign(session: Session, case: Case, assignee: User | None, actor: str) -> Change:
    if assignee is not None and not assignee.active:
        raise FollowUpError("that login is disabled: choose someone who can log in")
    before = case.assignee
    case.assignee_id = assignee.id if assignee is not None else None
    case.assignee = assignee
    if assignee is None:
        detail = f"unassigned (was {before.email})" if before else "left unassigned"
        return _event(session, case, actor, Change("unassigned", detail))
    return _event(session, case, actor, Change("assigned", f"assigned to {assignee.email}"))


def set_references(
    session: Session, case: Case, actor: str, platform: str, police: str, outcome: str
) -> list[Change]:
    """Record the references and the outcome; one timeline entry per field that changed."""
    if outcome and outcome not in OUTCOME_WORDS:
        raise FollowUpError(f"unknown outcome {outcome!r}")
    changes: list[Change] = []
    for label, field, value in (
        ("platform's report reference", "platform_reference", platform.strip()),
        ("police reference", "police_reference", police.strip()),
    ):
        old = getattr(case, field) or ""
        if value == old:
            continue
        setattr(case, field, value or None)
        words = f"{label} recorded: {value}" if value else f"{label} removed (was {old})"
        changes.append(_event(session, case, actor, Change("reference", words)))
    if outcome != (case.outcome or ""):
        old_outcome = case.outcome
        case.outcome = outcome or None
        words = (
            f"outcome: {OUTCOME_WORDS[outcome]}"
            if outcome
            else f"outcome cleared (was {OUTCOME_WORDS.get(old_outcome or '', old_outcome)})"
        )
        changes.append(_event(session, case, actor, Change("outcome", words)))
    return changes


def mark_step(session: Session, case: Case, step: str, done: bool, actor: str) -> Change | None:
    """Mark a step done or not done, in any order; None when it already was so."""
    if step not in STEP_WORDS:
        raise FollowUpError(f"unknown step {step!r}")
    row = session.scalar(select(CaseStep).where(CaseStep.case_id == case.id, CaseStep.step == step))
    words = STEP_WORDS[step].lower()
    if done and row is None:
        session.add(CaseStep(case_id=case.id, step=step, actor=actor, done_at=utcnow()))
        return _event(session, case, actor, Change("step_done", f"step done: {words}"))
    if not done and row is not None:
        session.delete(row)
        return _event(session, case, actor, Change("step_undone", f"step marked not done: {words}"))
    return None


def keep_letter(
    session: Session, case: Case, kind: str, title: str, body: str, actor: str
) -> CaseLetter:
    """Save a letter or draft with its text exactly as sent, and when; a letter or draft that
    is a step of the procedure (the written warning, a report to the host or the police) also
    ticks that step."""
    now = utcnow()
    body = body.replace("\r\n", "\n")  # as browsers send a textarea; kept as the user wrote it
    letter = CaseLetter(case_id=case.id, kind=kind, title=title, body=body, actor=actor,
                        sent_at=now)  # fmt: skip
    session.add(letter)
    _event(session, case, actor, Change("letter_sent", f"sent and saved to the case file: {title}"))
    if kind in SENT_TICKS:
        mark_step(session, case, SENT_TICKS[kind], True, actor)
    return letter


def letters_kept(session: Session, case: Case) -> list[CaseLetter]:
    return list(
        session.scalars(
            select(CaseLetter).where(CaseLetter.case_id == case.id).order_by(CaseLetter.id)
        )
    )
