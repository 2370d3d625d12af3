"""The queue: flagged posts, urgent first then newest, with filters, counts and pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import Blueprint, render_template, request
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, selectinload

from config.settings import CATEGORIES, SEVERITIES
from models import Flag, Post
from monitor.health import alert_backlog, waited
from monitor.web.common import audit, core, db

bp = Blueprint("queue", __name__)
STATUSES = ("open", "confirmed", "dismissed", "all")
LIMIT = 50  # posts a page


@dataclass
class Item:
    post: Post
    flags: list[Flag]
    severity: str


def _counts(session: Session, query: Select[tuple[str, int]]) -> Counter[str]:
    return Counter(dict(session.execute(query).tuples().all()))


@bp.get("/")
def index() -> str:
    status = request.args.get("status", "open")
    status = status if status in STATUSES else "open"
    category = request.args.get("category", "")
    category = category if category in CATEGORIES else ""
    platform = request.args.get("platform", "")
    session = db()

    # Filtering, ordering and paging in SQL: one row per post, its worst matching severity,
    # urgent first and newest first, so a page costs the same with 100 posts or 100,000.
    rank = case({name: number for number, name in enumerate(SEVERITIES)}, value=Flag.severity,
                else_=len(SEVERITIES))  # fmt: skip
    matching = select(Flag.post_id, func.min(rank).label("rank"))
    if status != "all":
        matching = matching.where(Flag.status == status)
    if category:
        matching = matching.where(Flag.category == category)
    if platform:  # the only filter that needs the posts table
        matching = matching.join(Post).where(Post.platform == platform)
    grouped = matching.group_by(Flag.post_id).subquery()
    total = session.scalar(select(func.count()).select_from(grouped)) or 0
    page = max(1, min(request.args.get("page", 1, type=int) or 1, max(1, -(-total // LIMIT))))
    newest = func.coalesce(Post.created_at, Post.fetched_at)
    rows = session.execute(
        select(Post, grouped.c.rank)
        .join(grouped, grouped.c.post_id == Post.id)
        .options(selectinload(Post.flags))
        .order_by((grouped.c.rank != 0), newest.desc(), Post.id.desc())
        .offset((page - 1) * LIMIT)
        .limit(LIMIT)
    ).all()
    ordered = []
    for post, worst_rank in rows:
        shown = [f for f in post.flags
                 if (status == "all" or f.status == status)
                 and (not category or f.category == category)]  # fmt: skip
        ordered.append(Item(post, shown, SEVERITIES[min(worst_rank, len(SEVERITIES) - 1)]))

    by_status = _counts(session, select(Flag.status, func.count(Flag.id)).group_by(Flag.status))
    open_by_category = _counts(
        session,
        select(Flag.category, func.count(Flag.id))
        .where(Flag.status == "open")
        .group_by(Flag.category),
    )
    platforms = sorted(session.scalars(select(Post.platform).join(Flag).distinct()).all())
    quarantined = (
        session.scalar(select(func.count(Post.id)).where(Post.quarantine.is_not(None))) or 0
    )

    backlog = alert_backlog(session)  # staff see an alert that has not reached anyone

    audit("view_queue", detail=f"status={status} category={category} platform={platform}")
    session.commit()
    return render_template(
        "queue.html",
        items=ordered,
        total=total,
        limit=LIMIT,
        page=page,
        pages=max(1, -(-total // LIMIT)),
        filters={"status": status, "category": category, "platform": platform},
        statuses=STATUSES,
        categories=CATEGORIES,
        platforms=platforms,
        by_status=by_status,
        open_by_category=open_by_category,
        quarantined=quarantined,
        backlog=backlog,
        backlog_waited=waited(backlog.oldest) if backlog.oldest else "",
        mail_server=bool(core().settings.smtp_url),
    )
