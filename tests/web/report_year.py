"""A known academic year of cases (2025-26) with flags, decisions and steps at set times, plus
one case on each side of the year's edges; the report's tests check every figure against it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from models import Case, CaseEvent, CaseStep, Flag, Post

LONDON = ZoneInfo("Europe/London")
PUPIL = "Jayden Nowak"
AUTHOR = "@angry.parent"
TEXT = f'{PUPIL} at Roose Primary again, =HYPERLINK("http://evil.example")'


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)  # type: ignore[misc]


@dataclass(frozen=True)
class Spec:
    reference: str
    opened: datetime
    categories: tuple[str, ...]
    severity: str
    platforms: tuple[str, ...]
    status: str
    outcome: str | None
    decide_h: float | None  # hours from the first flag to the first decision
    resolve_h: tuple[float, ...] = ()  # hours of each move to resolved
    asked: bool = False  # the "ask the host" step is done
    flags: tuple[str, ...] = ("confirmed",)
    flag_early_min: int = 0  # the first flag came this many minutes before the case


SPECS = (
    Spec("SW-2025-0001", local(2025, 9, 1, 0, 30), ("complaint",), "medium", ("facebook",),
         "resolved", "resolved_with_parent", 2, (30,), flag_early_min=10),
    Spec("SW-2025-0002", local(2025, 9, 15, 9, 0), ("complaint", "offensive"), "high",
         ("facebook",), "resolved", "removed", 0.5, (72,), asked=True,
         flags=("confirmed", "confirmed")),
    Spec("SW-2025-0003", local(2025, 10, 3, 20, 0), ("complaint",), "medium", ("facebook", "x"),
         "resolved", "removed", 5, (100,)),
    Spec("SW-2025-0004", local(2025, 10, 26, 1, 30), ("threat",), "urgent", ("x",), "escalated",
         "referred_to_police", 0.25),
    Spec("SW-2025-0005", local(2025, 11, 11, 11, 11), ("complaint",), "low", ("facebook",),
         "resolved", "no_action", 24, (26,), flags=("confirmed", "dismissed")),
    Spec("SW-2025-0006", local(2025, 12, 1, 8, 0), ("offensive",), "medium", ("x",),
         "takedown_requested", None, 3, asked=True),
    Spec("SW-2026-0001", local(2026, 1, 20, 14, 0), ("complaint",), "medium", ("reddit",),
         "resolved", "refused", 10, (100, 240)),
    Spec("SW-2026-0002", local(2026, 3, 29, 0, 30), ("bullying", "pupil"), "high", ("facebook",),
         "resolved", "resolved_with_parent", 1, (48,), flags=("confirmed", "confirmed")),
    Spec("SW-2026-0003", local(2026, 5, 5, 16, 0), ("complaint",), "medium", ("facebook",),
         "confirmed", None, 6),
    Spec("SW-2026-0004", local(2026, 6, 10, 10, 0), ("offensive",), "medium", ("x",), "new",
         None, None, flags=("open",)),
    Spec("SW-2026-0005", local(2026, 7, 1, 12, 0), ("allegation",), "high", ("facebook",),
         "dismissed", None, 4, flags=("dismissed",)),
    Spec("SW-2026-0006", local(2026, 8, 31, 23, 59), ("complaint",), "medium", ("x",), "new",
         None, None, flags=("open",)),
    # Either side of the year: the last minute of 2024-25 and the first of 2026-27.
    Spec("SW-2025-0000", local(2025, 8, 31, 23, 59), ("complaint",), "medium", ("x",),
         "resolved", "removed", 1, (2,)),
    Spec("SW-2026-0007", local(2026, 9, 1, 0, 0), ("threat",), "urgent", ("x",), "new", None,
         None, flags=("open",)),
)  # fmt: skip


def seed_year(session: Session) -> None:
    for number, spec in enumerate(SPECS):
        case = Case(reference=spec.reference, status=spec.status, severity=spec.severity,
                    categories=list(spec.categories), created_at=spec.opened,
                    updated_at=spec.opened, outcome=spec.outcome)  # fmt: skip
        session.add(case)
        session.flush()
        first_flag = spec.opened - timedelta(minutes=spec.flag_early_min)
        for index, platform in enumerate(spec.platforms):
            post = Post(platform=platform, external_id=f"{number}-{index}", text=TEXT,
                        author=AUTHOR, content_sha256=hashlib.sha256(TEXT.encode()).hexdigest(),
                        fetched_at=first_flag, case_id=case.id)  # fmt: skip
            session.add(post)
            session.flush()
            for status, category in zip(spec.flags, spec.categories * 2, strict=False):
                session.add(Flag(post_id=post.id, category=category, score=0.9,
                                 severity=spec.severity, evidence=[], reason="test",
                                 stage="rules", model_version="t", status=status,
                                 created_at=first_flag))  # fmt: skip
        events = [("opened", None, spec.opened)]
        if spec.status == "escalated":  # a staff proposal is no decision
            events.append(("dismissal proposed", "proposes", first_flag + timedelta(minutes=6)))
        if spec.decide_h is not None:
            at = first_flag + timedelta(hours=spec.decide_h)
            first = "dismissed" if spec.status == "dismissed" else "confirmed"
            events.append(("dismiss" if first == "dismissed" else "confirm", None, at))
            events.append(("status", f"new -> {first}", at))
        if spec.status == "escalated":
            events.append(("status", "confirmed -> escalated", at + timedelta(hours=1)))
        for number_of, hours in enumerate(spec.resolve_h):
            at = first_flag + timedelta(hours=hours)
            events.append(("status", "confirmed -> resolved: agreed: taken down", at))
            if number_of + 1 < len(spec.resolve_h):
                events.append(("status", "resolved -> confirmed", at + timedelta(hours=1)))
        for action, detail, at in events:
            session.add(CaseEvent(case_id=case.id, actor="head@school.example", action=action,
                                  detail=detail, created_at=at))  # fmt: skip
        if spec.asked:
            session.add(CaseStep(case_id=case.id, step="ask_host", actor="head@school.example",
                                 done_at=spec.opened + timedelta(hours=1)))  # fmt: skip
