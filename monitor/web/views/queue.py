"""The queue: flagged posts, urgent first then newest, with filters and counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import Blueprint, render_template, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from config.settings import CATEGORIES, SEVERITIES
from models import Flag, Post
from monitor.web.common import audit, db

bp = Blueprint("queue", __name__)
STATUSES = ("open", "confirmed", "dismissed", "all")
LIMIT = 200


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

    query = select(Flag).join(Post).options(selectinload(Flag.post).selectinload(Post.flags))
    if status != "all":
        query = query.where(Flag.status == status)
    if category:
        query = query.where(Flag.category == category)
    if platform:
        query = query.where(Post.platform == platform)
    items: dict[int, Item] = {}
    for flag in session.scalars(query):
        item = items.setdefault(flag.post_id, Item(flag.post, [], flag.severity))
        item.flags.append(flag)
        item.severity = min(item.severity, flag.severity, key=SEVERITIES.index)
    ordered = sorted(items.values(), key=lambda i: (i.post.created_at or i.post.fetched_at),
                     reverse=True)  # fmt: skip
    ordered.sort(key=lambda i: i.severity != "urgent")  # stable: newest first within each

    by_status = _counts(session, select(Flag.status, func.count(Flag.id)).group_by(Flag.status))
    open_by_category = _counts(
        session,
        select(Flag.category, func.count(Flag.id))
        .where(Flag.status == "open")
        .group_by(Flag.category),
    )
    platforms = sorted(session.scalars(select(Post.platform).join(Flag).distinct()).all())

    audit("view_queue", detail=f"status={status} category={category} platform={platform}")
    session.commit()
    return render_template(
        "queue.html",
        items=ordered[:LIMIT],
        total=len(ordered),
        limit=LIMIT,
        filters={"status": status, "category": category, "platform": platform},
        statuses=STATUSES,
        categories=CATEGORIES,
        platforms=platforms,
        by_status=by_status,
        open_by_category=open_by_category,
    )
