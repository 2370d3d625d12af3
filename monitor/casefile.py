"""A case as plain facts, from the database: for its e-mails (redacted), drafts and evidence pack.

The review page calls the functions at the bottom with an open session and a case reference.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from alerts.drafts import case_drafts
from alerts.evidence import build_pack, media_urls, render_pack_html
from alerts.facts import (
    CaseFacts,
    Draft,
    EventFacts,
    FlagFacts,
    ImageFacts,
    LetterFacts,
    PostFacts,
    Span,
)
from alerts.letters import letters
from alerts.render import apply_spans
from config import Person, Settings
from models import Case, Post, utcnow
from monitor.followup import OUTCOME_WORDS


def _name_pattern(person: Person) -> re.Pattern[str]:
    first, last = re.escape(person.first_name), re.escape(person.last_name)
    names = [rf"{first}[\W_]*{last}", rf"{last}[\W_]*{first}"]  # "Nowak, Jayden" too
    names += [re.escape(a) for a in person.aliases if len(a) >= 3]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(names) + r")(?![^\W_])", re.IGNORECASE)


# Where a name hides whole inside a longer token: a handle or hashtag (@jaydenn, #JaydenNowak),
# any part of an address (instagram.com/amelia.hartley2016/, x.com/Jayden%5FNowak), a word
# decorated with digits or underscores (nowak_j2015) or joined in CamelCase, or a whole author.
_HANDLE = re.compile(
    r"[@#][\w.%-]+|(?<=/)[\w.%~-]+|\b[\w.-]*[_\d][\w.-]*\b|\b\w*[a-z][A-Z]\w*\b|^[\w.]+$"
)


def _squeeze(text: str) -> str:
    """Lower case, %-escapes decoded, letters said once ("Ameliaaa" -> "amelia")."""
    return re.sub(r"(.)\1+", r"\1", unquote(text).lower())


def _bare_name(person: Person) -> re.Pattern[str]:
    """A pupil's first name or surname on its own, however drawn out and with a possessive
    ("Ameliaaa", "Jaydens"), but not a staff title's surname ("Mrs Nowak")."""
    parts = [
        "".join(re.escape(c) + "+" for c in n) + r"(?:['’]?s)?"
        for n in (person.first_name, person.last_name)
        if len(n) >= 4
    ]
    return re.compile(
        r"(?<!\bmr )(?<!\bmrs )(?<!\bmiss )(?<!\bms )(?<!\bdr )(?<![^\W_])(?:"
        + ("|".join(parts) or r"(?!)")
        + r")(?![^\W_])",
        re.IGNORECASE,
    )


def _in_handle(person: Person) -> re.Pattern[str]:
    """A pupil's first name or surname inside a squeezed handle, however it is decorated."""
    parts = [re.escape(_squeeze(n)) for n in (person.first_name, person.last_name) if len(n) >= 4]
    return re.compile("|".join(parts) or r"(?!)")


def name_spans(text: str, pupils: tuple[Person, ...]) -> list[Span]:
    """Full names, aliases, and first names or surnames on their own, of pupils anywhere in
    ``text``, as initials; and any handle, address part or decorated word holding a pupil's
    first name or surname, whole ("@jaydenn" -> "@J.N.")."""
    spans: list[Span] = []
    handles = [
        (h.start(), h.end(), h.group(0), _squeeze(h.group(0))) for h in _HANDLE.finditer(text)
    ]
    for person in pupils:
        for match in _name_pattern(person).finditer(text):
            spans.append(Span(match.start(), match.end(), person.initials))
        for match in _bare_name(person).finditer(text):
            spans.append(Span(match.start(), match.end(), person.initials))
        inside = _in_handle(person)
        for start, end, handle, squeezed in handles:
            if inside.search(squeezed):
                mark = handle[0] if handle[0] in "@#" else ""
                spans.append(Span(start, end, mark + person.initials))
    return spans


def scrub(text: str, pupils: tuple[Person, ...]) -> str:
    return apply_spans(text, _non_overlapping(name_spans(text, pupils)))[0]


def _non_overlapping(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if not any(span.start < k.end and k.start < span.end for k in kept):
            kept.append(span)
    return kept


WITHHELD = (
    "[Not shown in e-mail: found by the trust's shared search, this post may name a pupil of "
    "another school in the trust. Read it on the review page.]"
)


def post_facts(
    post: Post, *, redact: bool, pupils: tuple[Person, ...], timezone: str = "UTC"
) -> PostFacts:
    """One post, with pupils' names as initials when ``redact``: text, evidence, reasons, handle."""
    replaced: list[Span] = []
    if redact:
        replaced = [
            Span(m["start"], m["end"], m["initials"])
            for m in (post.mentions or [])
            if m["kind"] == "pupil"
        ]
        replaced = _non_overlapping(replaced + name_spans(post.text, pupils))
    text, _ = apply_spans(post.text, replaced)
    evidence = [Span(e["start"], e["end"]) for f in post.flags for e in f.evidence]
    # A trust's shared search kept this post for a pupil another member school may have seen in
    # it: this school knows only its own roster, so it cannot put that child's name into initials.
    withheld = redact and bool(post.unclaimed) and "pupil" in (post.unclaimed or [])
    if withheld:
        text, evidence = WITHHELD, []
    flags: list[FlagFacts] = []
    for flag in post.flags:
        quotes = [redact_piece(post.text, e["start"], e["end"], replaced) for e in flag.evidence]
        if withheld:
            quotes = ["..." for _ in quotes]
        reason = flag.reason
        for e, shown in zip(flag.evidence, quotes, strict=True):
            reason = reason.replace(repr(e["text"]), repr(shown))
        if withheld:
            quotes = []
        if redact:
            reason = scrub(reason, pupils)
        flags.append(FlagFacts(flag.category, flag.severity, flag.score, reason,
                               tuple(quotes), flag.stage))  # fmt: skip
    author = scrub(post.author, pupils) if redact and post.author else post.author
    url = scrub(post.url, pupils) if redact and post.url else post.url
    return PostFacts(
        platform=post.platform,
        external_id=post.external_id,
        text=text,
        author=author,
        url=url,
        created_at=post.created_at,
        fetched_at=post.fetched_at,
        raw=post.raw,
        content_sha256=post.content_sha256,
        flags=tuple(flags),
        highlights=tuple(shift_spans(evidence, replaced)),
        media_urls=tuple(media_urls(post.raw)),
        timezone=timezone,
        # Screenshots go only into the unredacted pack: they show names as they were posted.
        images=()
        if redact
        else tuple(
            ImageFacts(i.filename, i.content_type, i.sha256, i.data, i.ocr_text)
            for i in post.images
        ),
    )


def case_facts(case: Case, settings: Settings, *, redact: bool) -> CaseFacts:
    """``case`` (with its posts, flags and events loaded) as plain facts."""
    pupils = settings.roster.pupils
    ordered = sorted(case.posts, key=lambda p: (p.created_at or p.fetched_at, p.id))
    zone = settings.alerts.timezone
    posts = [post_facts(p, redact=redact, pupils=pupils, timezone=zone) for p in ordered]
    mentions = [m for p in case.posts for m in (p.mentions or [])]
    titled = {p.key: f"{p.title} {p.full_name}".strip() for p in settings.roster.staff}
    staff = list(dict.fromkeys(
        titled.get(m["key"], m["display"]) for m in mentions if m["kind"] == "staff"
    ))  # fmt: skip
    children = list(dict.fromkeys(
        m["initials"] if redact else m["display"]
        for m in mentions if m["kind"] == "pupil" and not m.get("own_child")
    ))  # fmt: skip
    alerts = settings.alerts
    # The case file's own record, for the evidence pack; e-mails (redacted) never carry letters.
    kept = () if redact else tuple(
        LetterFacts(x.kind, x.title, x.body, x.actor, x.sent_at) for x in case.letters
    )  # fmt: skip
    outcome = OUTCOME_WORDS.get(case.outcome or "", case.outcome or "")
    return CaseFacts(
        school=settings.school.name,
        reference=case.reference,
        severity=case.severity,
        categories=tuple(case.categories),
        posts=tuple(posts),
        status=case.status,
        created_at=case.created_at,
        case_url=f"{alerts.base_url}/cases/{case.reference}",
        staff_named=tuple(staff),
        pupils_named=tuple(children),
        signed_by=alerts.signed_by,
        contact_email=alerts.contact_email,
        complaints_procedure=alerts.complaints_procedure,
        timezone=alerts.timezone,
        events=tuple(
            EventFacts(e.created_at, e.actor, e.action, e.detail or "") for e in case.events
        ),  # fmt: skip
        names_redacted=redact,
        assignee=case.assignee.email if case.assignee is not None else "",
        platform_reference=case.platform_reference or "",
        police_reference=case.police_reference or "",
        outcome=outcome,
        letters_sent=kept,
    )


def redact_piece(text: str, start: int, end: int, spans: list[Span]) -> str:
    """``text[start:end]`` with the replacements inside it; a piece that a replacement only
    partly covers (evidence "jayden" inside the handle "@jaydenn") is shown as the replacement."""
    for s in spans:
        inside = s.start >= start and s.end <= end
        if not inside and s.start < end and start < s.end:
            return s.replacement or ""
    inner = [Span(s.start - start, s.end - start, s.replacement) for s in spans
             if s.start >= start and s.end <= end]  # fmt: skip
    return apply_spans(text[start:end], inner)[0]


def shift_spans(highlights: list[Span], replaced: list[Span]) -> list[Span]:
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


def load_case(session: Session, reference: str) -> Case | None:
    return session.scalar(
        select(Case)
        .where(Case.reference == reference)
        .options(
            selectinload(Case.posts).selectinload(Post.flags),
            selectinload(Case.posts).selectinload(Post.images),
            selectinload(Case.events),
        )
    )


def takedown_requested_at(case: Case) -> datetime | None:
    moves = [e.created_at for e in case.events
             if e.action == "status" and (e.detail or "").split(": ")[0].endswith(
                 "-> takedown_requested")]  # fmt: skip
    return moves[-1] if moves else None


def _case(session: Session, reference: str) -> Case:
    case = load_case(session, reference)
    if case is None:
        raise LookupError(f"no case {reference}")
    return case


# For the review page: each takes an open session and a reference; LookupError if unknown.


def evidence_zip(
    session: Session, reference: str, settings: Settings, *, now: datetime | None = None
) -> bytes:
    """The case's evidence pack as a ZIP (names in full: it is for the police and the platform)."""
    facts = case_facts(_case(session, reference), settings, redact=False)
    return build_pack(facts, now or utcnow())


def evidence_html(
    session: Session, reference: str, settings: Settings, *, now: datetime | None = None
) -> str:
    facts = case_facts(_case(session, reference), settings, redact=False)
    return render_pack_html(facts, now or utcnow())


def drafts_for(
    session: Session,
    reference: str,
    settings: Settings,
    *,
    reported_at: datetime | None = None,
    today: date | None = None,
    parent: str | None = None,
) -> list[Draft]:
    """Every takedown and escalation draft of the case, then the policy's two letters. The
    clocks run from ``reported_at``, by default from when the case moved to takedown_requested."""
    return case_drafts_for(_case(session, reference), settings, reported_at=reported_at,
                           today=today, parent=parent)  # fmt: skip


def case_drafts_for(
    case: Case,
    settings: Settings,
    *,
    reported_at: datetime | None = None,
    today: date | None = None,
    parent: str | None = None,
) -> list[Draft]:
    """As ``drafts_for``, for a case already loaded by ``load_case`` (the review page has it)."""
    facts = case_facts(case, settings, redact=False)
    reported_at = reported_at or takedown_requested_at(case)
    day = today or utcnow().date()
    return case_drafts(facts, reported_at) + letters(
        facts, today=day, parent=parent, letters_dir=settings.alerts.letters_dir
    )


def drafts_text(drafts: list[Draft]) -> str:
    """Drafts as one plain-text document, each with its clock."""
    parts: list[str] = []
    for draft in drafts:
        steps = " -> ".join(f"{s.label}: {s.what}" for s in draft.clock)
        parts.append(
            f"{draft.title}\n{'=' * len(draft.title)}\n"
            + (f"To: {draft.to}\n" if draft.to else "")
            + (f"Clock: {steps}\n" if steps else "")
            + f"\n{draft.body.rstrip()}\n"
        )
    return "\n\n".join(parts)


def write_case_files(app_sessions: Any, settings: Settings, folder: Path) -> list[Path]:
    """For each case: its evidence pack (ZIP and HTML) and its drafts and letters as text."""
    written: list[Path] = []
    with app_sessions() as session:
        for reference in session.scalars(select(Case.reference).order_by(Case.id)).all():
            target = folder / reference
            target.mkdir(parents=True, exist_ok=True)
            case = _case(session, reference)
            when = case.updated_at
            (target / "evidence.zip").write_bytes(
                evidence_zip(session, reference, settings, now=when)
            )
            (target / "evidence.html").write_text(
                evidence_html(session, reference, settings, now=when), encoding="utf-8"
            )
            (target / "drafts.txt").write_text(
                drafts_text(drafts_for(session, reference, settings, today=when.date())),
                encoding="utf-8",
            )
            written.append(target)
    return written
