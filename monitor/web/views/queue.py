"""The queue: flagged posts, urgent first then newest, with filters, counts and pages."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from flask import Blueprint, render_template, request
from flask import session as cookie
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from config.settings import CATEGORIES, SEVERITIES
from models import Case, Flag, Post
from monitor.health import Backlog, alert_backlog, waited
from monitor.web.auth import current_user
from monitor.web.common import audit, commit_view, core, db
from monitor.web.pagecache import CSRF_SLOT, PageCache, page_cache
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


@dataclass(frozen=True)
class Summary:
    """The queue's counts: a few index scans over every flag, so they are kept for a few
    seconds, recounted in the background before they are too old to show, and recounted at
    once after any decision made through the app."""

    total: int  # posts matching the filters
    by_status: Counter[str]
    open_by_category: Counter[str]
    platforms: list[str]
    quarantined: int


def _summary(session: Session, matching: list[ColumnElement[bool]], platform: str) -> Summary:
    on_platform = [Post.platform == platform] if platform else []
    total = session.scalar(
        select(func.count()).select_from(Post).where(exists().where(*matching), *on_platform)
    )
    # One scan of the flags gives both the counts by status and the open ones by category.
    by_status: Counter[str] = Counter()
    open_by_category: Counter[str] = Counter()
    grouped = select(Flag.status, Flag.category, func.count()).group_by(Flag.status, Flag.category)
    for flag_status, flag_category, count in session.execute(grouped).tuples():
        by_status[flag_status] += count
        if flag_status == "open":
            open_by_category[flag_category] += count
    return Summary(
        total=total or 0,
        by_status=by_status,
        open_by_category=open_by_category,
        platforms=sorted(
            session.scalars(
                select(Post.platform).where(exists().where(Flag.post_id == Post.id)).distinct()
            ).all()
        ),  # fmt: skip
        # select_from: without an entity in it the school's criteria would not be added
        quarantined=session.scalar(
            select(func.count()).select_from(Post).where(Post.quarantine.is_not(None))
        )
        or 0,
    )


def _kept_summary(
    cache: PageCache,
    session: Session,
    matching: list[ColumnElement[bool]],
    key: tuple[str, str, str],
) -> Summary:
    """The counts for these filters: kept ones while fresh (one background recount starts when
    they are ``REFRESH_AFTER`` old), else counted now by one request while the others wait."""
    platform = key[2]
    summary = cache.get(key)
    if isinstance(summary, Summary):
        if cache.claim_refresh(key):
            threading.Thread(target=_recount, daemon=True, name="queue-recount",
                             args=(cache, core().sessions, matching, key)).start()  # fmt: skip
        return summary
    with cache.making:  # one request counts; the others at that moment wait and reuse it
        summary = cache.get(key)
        if not isinstance(summary, Summary):
            generation = cache.generation
            summary = _summary(session, matching, platform)
            cache.put(key, generation, summary)
    return summary


def warm_counts() -> None:
    """Count the queue as it first opens (open flags, any category or platform) before the
    server listens, so the first staff to look after a start do not wait for it together.
    Needs an application context."""
    with core().sessions() as session:
        matching: list[ColumnElement[bool]] = [Flag.post_id == Post.id, Flag.status == "open"]
        _kept_summary(page_cache(), session, matching, ("open", "", ""))


def _recount(cache: PageCache, sessions: sessionmaker[Session],
             matching: list[ColumnElement[bool]], key: tuple[str, str, str]) -> None:  # fmt: skip
    generation = cache.generation
    try:
        with cache.making, sessions() as session:
            cache.put(key, generation, _summary(session, matching, key[2]))
    finally:
        cache.release(key)


def _kept_backlog(cache: PageCache, session: Session) -> Backlog:
    """The outbox's backlog, kept like the counts (the relay may run in another process, so
    its changes show within ``KEPT_SECONDS``)."""
    backlog, _ = cache.kept(("backlog",), Backlog, lambda: alert_backlog(session))
    return backlog


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

    cache = page_cache()
    summary = _kept_summary(cache, session, matching, (status, category, platform))
    total = summary.total
    pages = max(1, -(-total // LIMIT))
    page = max(1, min(request.args.get("page", 1, type=int) or 1, pages))

    # The list is the same for everyone of a role with the same undo buttons on it, so it is
    # kept rendered; the session's CSRF token goes into it on the way out.
    timezone = core().settings.alerts.timezone
    shown = ("list", status, category, platform, page, view, current_user().role,
             request.full_path)  # fmt: skip
    items: list[Item] = []

    def listed() -> tuple[int, ...]:
        items[:] = _items(session, matching, platform, page, status, category)
        return tuple(f.id for item in items for f in item.flags)

    generation = cache.generation
    shown_ids, listed_now = cache.kept(shown, tuple, listed)
    undo = undoable(session, current_user(), timezone, list(shown_ids)) if shown_ids else {}
    buttons = tuple(sorted((flag, d.id, d.kind) for flag, d in undo.items()))

    def rendered() -> str:
        if not items:
            listed()
        return render_template(
            "_queue_items.html", items=items, view=view, undo=undo, excerpt=excerpt,
            filters={"status": status, "category": category, "platform": platform},
            back=request.full_path, csrf_token=lambda: CSRF_SLOT,
        )  # fmt: skip

    if listed_now:  # the list was made again: so is its page
        listing = rendered()
        cache.put((*shown, buttons), generation, listing)
    else:
        listing, _ = cache.kept((*shown, buttons), str, rendered)
    by_status, open_by_category = summary.by_status, summary.open_by_category
    platforms, quarantined = summary.platforms, summary.quarantined

    mine = recent(session, current_user(), timezone)
    references = dict(session.execute(
        select(Case.id, Case.reference).where(Case.id.in_({d.case_id for d in mine if d.case_id}))
    ).tuples().all()) if mine else {}  # fmt: skip
    backlog = _kept_backlog(cache, session)  # staff see an alert that has not reached anyone

    audit("view_queue", detail=f"status={status} category={category} platform={platform} "
                               f"view={view}")  # fmt: skip
    commit_view(session)
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
