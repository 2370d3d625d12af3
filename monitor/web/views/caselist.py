"""The case list: every case, filtered, searched, urgent first then oldest, 50 a page in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request
from sqlalchemy import String, cast, exists, func, or_, select
from sqlalchemy import case as when_
from sqlalchemy.orm import selectinload

from config.settings import CATEGORIES, SEVERITIES
from models import Case, Post, User, utcnow
from monitor.followup import OUTCOME_WORDS
from monitor.reminders import clock_starts, overdue_clause
from monitor.web.auth import current_user
from monitor.web.common import audit, db
from monitor.workflow import CLOSED

bp = Blueprint("caselist", __name__)
LIMIT = 50  # cases a page
STATES = ("open", "closed", "all")


@dataclass
class Row:
    case: Case
    overdue: bool
    platforms: list[str]
    snippet: str


def _filters() -> dict[str, str]:
    args = request.args
    state = args.get("state", "open")
    category = args.get("category", "")
    severity = args.get("severity", "")
    assignee = args.get("assignee", "")
    if not (assignee in ("", "me", "none") or assignee.isdigit()):
        assignee = ""
    return {
        "state": state if state in STATES else "open",
        "overdue": "1" if args.get("overdue") == "1" else "",
        "category": category if category in CATEGORIES else "",
        "severity": severity if severity in SEVERITIES else "",
        "platform": args.get("platform", "")[:40],
        "assignee": assignee,
        "q": args.get("q", "").strip()[:200],
    }


@bp.get("/cases")
def index() -> str:
    filters = _filters()
    session = db()
    now = utcnow()
    starts = clock_starts()
    late = overdue_clause(starts, now)
    query = select(Case, late.label("overdue")).outerjoin(starts, starts.c.case_id == Case.id)
    if filters["state"] == "open":
        query = query.where(Case.status.not_in(CLOSED))
    elif filters["state"] == "closed":
        query = query.where(Case.status.in_(CLOSED))
    if filters["overdue"]:
        query = query.where(late)
    if filters["category"]:  # a JSON list of fixed words: its text holds "word" with the quotes
        query = query.where(cast(Case.categories, String).like(f'%"{filters["category"]}"%'))
    if filters["severity"]:
        query = query.where(Case.severity == filters["severity"])
    if filters["platform"]:
        query = query.where(
            exists().where(Post.case_id == Case.id, Post.platform == filters["platform"])
        )
    if filters["assignee"] == "me":
        query = query.where(Case.assignee_id == current_user().id)
    elif filters["assignee"] == "none":
        query = query.where(Case.assignee_id.is_(None))
    elif filters["assignee"]:
        query = query.where(Case.assignee_id == int(filters["assignee"]))
    if filters["q"]:
        q = filters["q"]
        query = query.where(
            or_(
                Case.reference.icontains(q, autoescape=True),
                exists().where(Post.case_id == Case.id, Post.text.icontains(q, autoescape=True)),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // LIMIT))
    page = max(1, min(request.args.get("page", 1, type=int) or 1, pages))
    rank = when_({name: number for number, name in enumerate(SEVERITIES)}, value=Case.severity,
                 else_=len(SEVERITIES))  # fmt: skip
    found = session.execute(
        query.options(selectinload(Case.posts), selectinload(Case.assignee))
        .order_by(rank != 0, Case.created_at, Case.id)
        .offset((page - 1) * LIMIT)
        .limit(LIMIT)
    ).all()
    rows = []
    for case, late_now in found:
        text = case.posts[0].text if case.posts else ""
        snippet = text if len(text) <= 140 else text[:139] + "…"
        platforms = sorted({p.platform for p in case.posts})
        rows.append(Row(case, bool(late_now), platforms, snippet))
    platforms = sorted(session.scalars(select(Post.platform).where(Post.case_id.is_not(None))
                                       .distinct()).all())  # fmt: skip
    people = session.scalars(select(User).where(User.active.is_(True)).order_by(User.email)).all()
    audit("view_cases", detail=" ".join(f"{k}={v}" for k, v in filters.items() if v))
    session.commit()
    return render_template(
        "cases.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        filters=filters,
        states=STATES,
        categories=CATEGORIES,
        severities=SEVERITIES,
        platforms=platforms,
        assignable=people,
        outcomes=OUTCOME_WORDS,
    )
