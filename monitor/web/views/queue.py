"""The queue: flagged posts, urgent first then newest, with filters, counts and pages."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import cast

from flask import Blueprint, current_app, render_template, request
from flask import session as cookie
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import ColumnElement, Select, event, exists, func, select
from sqlalchemy.orm import Session, selectinload

from config.settings import CATEGORIES, SEVERITIES
from models import Case, EvidenceImage, Flag, Post
from monitor.health import alert_backlog, waited
from monitor.web.auth import current_user
from monitor.web.common import audit, core, db
from monitor.web.undo import describe, recent, undoable

bp = Blueprint("queue", __name__)
STATUSES = ("open", "confirmed", "dismissed", "all")
LIMIT = 50  # posts a page
VIEWS = ("compact", "full")
EXCERPT = 140  # characters of a post's text on a compact row


@dataclass
class Item:
    post: Post
    flags: list[Flag]
    severity: str


def _counts(session: Session, query: Select[tuple[str, int]]) -> Counter[str]:
    return Counter(dict(session.execute(query).tuples().all()))


@dataclass(frozen=True)
class Summary:
    """The queue's counts: a few index scans over every flag, so they are kept for a few
    seconds and recounted at once after any decision made on this page."""

    total: int  # posts matching the filters
    by_status: Counter[str]
    open_by_category: Counter[str]
    platforms: list[str]
    quarantined: int


SUMMARY_SECONDS = 15.0
KEPT_MOST = 500  # entries; past that the cache starts again (filters and pages are many)
# Where csrf_token() goes in a kept page: a comment cannot come out of escaped post text.
CSRF_SLOT = Markup("<!--csrf_token-->")
Kept = Summary | tuple[int, ...] | str


class SummaryCache:
    """What the queue keeps for a few seconds: its counts by filters, and pages of it (the
    flags shown, and the rendered list) by filters, page, view, role and undo buttons."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counting = threading.Lock()
        self._kept: dict[tuple[object, ...], tuple[float, int, Kept]] = {}
        self.generation = 0

    def changed(self) -> None:
        with self._lock:
            self.generation += 1
            self._kept.clear()

    def get(self, key: tuple[object, ...]) -> Kept | None:
        with self._lock:
            kept = self._kept.get(key)
        if kept is None or kept[1] != self.generation:
            return None
        return kept[2] if time.monotonic() - kept[0] < SUMMARY_SECONDS else None

    def put(self, key: tuple[object, ...], generation: int, value: Kept) -> None:
        with self._lock:
            if generation == self.generation:
                if len(self._kept) >= KEPT_MOST:
                    self._kept.clear()
                self._kept[key] = (time.monotonic(), generation, value)


def summary_cache() -> SummaryCache:
    """This app's cache; any flush that adds, changes or removes a post, flag, screenshot or
    case through the app's sessions (a decision, a cycle in this process) empties it."""
    cache = current_app.extensions.get("schoolwatch.queue")
    if cache is None:
        cache = current_app.extensions["schoolwatch.queue"] = SummaryCache()

        def on_flush(session: Session, _context: object) -> None:
            touched = (*session.new, *session.dirty, *session.deleted)
            if any(isinstance(row, Post | Flag | EvidenceImage | Case) for row in touched):
                cache.changed()

        event.listen(core().sessions, "after_flush", on_flush)
    return cast(SummaryCache, cache)


def _summary(session: Session, matching: list[ColumnElement[bool]], platform: str) -> Summary:
    on_platform = [Post.platform == platform] if platform else []
    total = session.scalar(
        select(func.count()).select_from(Post).where(exists().where(*matching), *on_platform)
    )
    return Summary(
        total=total or 0,
        by_status=_counts(session, select(Flag.status, func.count()).group_by(Flag.status)),
        open_by_category=_counts(
            session,
            select(Flag.category, func.count())
            .where(Flag.status == "open")
            .group_by(Flag.category),
        ),
        platforms=sorted(
            session.scalars(
                select(Post.platform).where(exists().where(Flag.post_id == Post.id)).distinct()
            ).all()
        ),  # fmt: skip
        quarantined=session.scalar(select(func.count()).where(Post.quarantine.is_not(None))) or 0,
    )


def _page(
    session: Session, matching: list[ColumnElement[bool]], platform: str, offset: int
) -> list[Post]:
    """One page: urgent posts first, then the rest, each newest first. Each half is read in the
    order of ``ix_posts_newest`` and stops at the page's end, so a page costs about the same with
    100 posts or 100,000: nothing is grouped or sorted over every flag."""
    newest = (func.coalesce(Post.created_at, Post.fetched_at).desc(), Post.id.desc())
    on_platform = [Post.platform == platform] if platform else []
    urgent = exists().where(*matching, Flag.severity == "urgent")
    posts = select(Post).options(selectinload(Post.case), selectinload(Post.images))
    rows: list[Post] = []
    if offset == 0:
        rows = list(session.scalars(
            posts.where(urgent, *on_platform).order_by(*newest).limit(LIMIT)))  # fmt: skip
        before = len(rows)
    else:  # how many urgent posts the earlier pages held
        before = session.scalar(
            select(func.count()).select_from(Post).where(urgent, *on_platform)) or 0  # fmt: skip
        if offset < before:
            urgent_posts = posts.where(urgent, *on_platform).order_by(*newest)
            rows = list(session.scalars(urgent_posts.offset(offset).limit(LIMIT)))
    if len(rows) < LIMIT:
        rows += session.scalars(
            posts.where(exists().where(*matching), ~urgent, *on_platform)
            .order_by(*newest)
            .offset(max(0, offset - before))
            .limit(LIMIT - len(rows))
        ).all()
    return rows


def _items(
    session: Session,
    matching: list[ColumnElement[bool]],
    platform: str,
    page: int,
    status: str,
    category: str,
) -> list[Item]:
    """A page of posts, each with the flags the filters show and its worst severity."""
    posts = _page(session, matching, platform, (page - 1) * LIMIT)
    by_post: dict[int, list[Flag]] = {}
    if posts:
        with_flags = select(Flag).where(Flag.post_id.in_([p.id for p in posts]))
        for flag in session.scalars(with_flags.order_by(Flag.id)):
            by_post.setdefault(flag.post_id, []).append(flag)
    ordered = []
    for post in posts:
        shown = [f for f in by_post.get(post.id, [])
                 if (status == "all" or f.status == status)
                 and (not category or f.category == category)]  # fmt: skip
        worst = min((SEVERITIES.index(f.severity) for f in shown if f.severity in SEVERITIES),
                    default=len(SEVERITIES) - 1)  # fmt: skip
        ordered.append(Item(post, shown, SEVERITIES[worst]))
    return ordered


def _view() -> str:
    """``view=compact|full`` when asked, kept in the session; else the one chosen before; else
    compact on a phone (the browser says it is mobile) and full elsewhere."""
    asked = request.args.get("view", "")
    if asked in VIEWS:
        cookie["queue_view"] = asked
        return asked
    kept = cookie.get("queue_view")
    if kept in VIEWS:
        return str(kept)
    mobile = request.headers.get("Sec-CH-UA-Mobile") == "?1"
    return "compact" if mobile or "Mobi" in request.user_agent.string else "full"


def excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT else line[: EXCERPT - 1].rstrip() + "\u2026"


@bp.get("/")
def index() -> str:
    status = request.args.get("status", "open")
    status = status if status in STATUSES else "open"
    category = request.args.get("category", "")
    category = category if category in CATEGORIES else ""
    platform = request.args.get("platform", "")
    view = _view()
    session = db()

    matching: list[ColumnElement[bool]] = [Flag.post_id == Post.id]
    if status != "all":
        matching.append(Flag.status == status)
    if category:
        matching.append(Flag.category == category)

    cache = summary_cache()
    key, generation = (status, category, platform), cache.generation
    summary = cache.get(key)
    if not isinstance(summary, Summary):
        with cache.counting:  # one request counts; the others at that moment wait and reuse it
            summary = cache.get(key)
            if not isinstance(summary, Summary):
                summary = _summary(session, matching, platform)
                cache.put(key, generation, summary)
    total = summary.total
    pages = max(1, -(-total // LIMIT))
    page = max(1, min(request.args.get("page", 1, type=int) or 1, pages))

    # The list is the same for everyone of a role with the same undo buttons on it, so it is
    # kept rendered; the session's CSRF token goes into it on the way out.
    timezone = core().settings.alerts.timezone
    shown = ("list", status, category, platform, page, view, current_user().role,
             request.full_path)  # fmt: skip
    items: list[Item] | None = None
    shown_ids = cache.get(shown)
    if not isinstance(shown_ids, tuple):
        items = _items(session, matching, platform, page, status, category)
        shown_ids = tuple(f.id for item in items for f in item.flags)
        cache.put(shown, generation, shown_ids)
    undo = undoable(session, current_user(), timezone, list(shown_ids)) if shown_ids else {}
    buttons = tuple(sorted((flag, d.id, d.kind) for flag, d in undo.items()))
    listing = cache.get((*shown, buttons))
    if not isinstance(listing, str):
        if items is None:
            items = _items(session, matching, platform, page, status, category)
        listing = render_template(
            "_queue_items.html", items=items, view=view, undo=undo, excerpt=excerpt,
            filters={"status": status, "category": category, "platform": platform},
            back=request.full_path, csrf_token=lambda: CSRF_SLOT,
        )  # fmt: skip
        cache.put((*shown, buttons), generation, listing)
    by_status, open_by_category = summary.by_status, summary.open_by_category
    platforms, quarantined = summary.platforms, summary.quarantined

    mine = recent(session, current_user(), timezone)
    references = dict(session.execute(
        select(Case.id, Case.reference).where(Case.id.in_({d.case_id for d in mine if d.case_id}))
    ).tuples().all()) if mine else {}  # fmt: skip
    backlog = alert_backlog(session)  # staff see an alert that has not reached anyone

    audit("view_queue", detail=f"status={status} category={category} platform={platform} "
                               f"view={view}")  # fmt: skip
    session.commit()
    return render_template(
        "queue.html",
        listing=Markup(listing.replace(CSRF_SLOT, generate_csrf())),
        view=view,
        views=VIEWS,
        mine=[(d, describe(d), references.get(d.case_id or 0, "")) for d in mine],
        total=total,
        limit=LIMIT,
        page=page,
        pages=pages,
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
