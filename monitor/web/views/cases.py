"""The case page: timeline, workflow actions by role, drafts, letters, evidence pack downloads."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from alerts.advice import next_step, urgent_categories
from alerts.drafts import case_drafts
from alerts.facts import Draft
from alerts.letters import LETTERS, LetterTemplateError
from models import Case, Decision, User, utcnow
from monitor.casefile import (
    case_drafts_for,
    case_facts,
    evidence_html,
    evidence_zip,
    load_case,
    takedown_requested_at,
)
from monitor.followup import (
    OUTCOMES,
    PAGE_ADMIN_HOWTO,
    WORDED_ACTIONS,
    letters_kept,
    on_own_page,
    steps_done,
    steps_for,
)
from monitor.reminders import overdue
from monitor.web.auth import current_user, requires
from monitor.web.common import audit, core, db
from monitor.web.forms import MoveForm
from monitor.web.pagecache import CSRF_SLOT, page_cache
from monitor.web.undo import describe, remember, snapshot, undoable
from monitor.workflow import LEADERS, ROLES, WorkflowError, allowed, transition

bp = Blueprint("cases", __name__)
MOVE_LABELS = {
    "confirmed": "Confirm",
    "dismissed": "Dismiss",
    "parent_contacted": "Parent contacted",
    "warning_sent": "Warning letter sent",
    "takedown_requested": "Takedown requested",
    "escalated": "Escalated (police / POSH / RHC)",
    "resolved": "Resolve",
    "new": "Reopen",
}
POSTS_PER_PAGE = 20  # a case may gather hundreds; its drafts and evidence pack still hold all


def _case(reference: str) -> Case:
    case = load_case(db(), reference)
    if case is None:
        abort(404)
    return case


# Who may take the evidence pack out of the system: it holds pupils' full names and the raw
# payloads, and sending it on (police, platform) is an escalation, which only leaders make.
EXPORT_ROLES = ("headteacher", "dsl")
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def _drafts(case: Case, today: date) -> tuple[list[Draft], list[Draft], str]:
    """The case's routes, its letters, and the error a school's broken letter template gave."""
    settings = core().settings
    try:
        everything = case_drafts_for(case, settings, today=today)
    except LetterTemplateError as exc:
        facts = case_facts(case, settings, redact=False)
        return case_drafts(facts, takedown_requested_at(case)), [], str(exc)
    routes = [d for d in everything if d.route not in LETTERS]
    return routes, [d for d in everything if d.route in LETTERS], ""


@dataclass(frozen=True)
class CaseParts:
    """What a case page shows of its posts and drafts, rendered, with ``CSRF_SLOT`` for the
    token: the costly part of the page (every post and flag loaded, drafts over all of them)."""

    posts_html: str
    drafts_html: str
    page: int
    pages: int
    own_page: bool


def _parts(reference: str, requested: int, undo: dict[int, Decision], today: date) -> CaseParts:
    case = _case(reference)
    routes, letters, letters_error = _drafts(case, today)
    pages = max(1, -(-len(case.posts) // POSTS_PER_PAGE))
    page = max(1, min(requested, pages))
    start = (page - 1) * POSTS_PER_PAGE
    posts = render_template(
        "_case_posts.html", case=case, posts=case.posts[start : start + POSTS_PER_PAGE],
        count=len(case.posts), first=start + 1, page=page, pages=pages, undo=undo,
        csrf_token=lambda: CSRF_SLOT,
    )  # fmt: skip
    drafts = render_template(
        "_drafts.html", case=case, routes=routes, letters=letters, letters_error=letters_error,
        reported_at=takedown_requested_at(case), may_lead=current_user().role in LEADERS,
        next_step=next_step(
            list(case.categories),
            urgent_categories((f.category, f.severity) for p in case.posts for f in p.flags),
        ),
        csrf_token=lambda: CSRF_SLOT,
    )  # fmt: skip
    return CaseParts(posts, drafts, page, pages, on_own_page(case, core().settings))


@bp.get("/cases/<reference>")
def show(reference: str) -> str:
    settings = core().settings
    session = db()
    cache = page_cache()
    # The case and its timeline every time; its posts and drafts only when not kept.
    case = session.scalar(
        select(Case).where(Case.reference == reference).options(selectinload(Case.events))
    )
    if case is None:
        abort(404)
    user = current_user()
    leads = user.role in LEADERS
    people = session.scalars(select(User).where(User.active.is_(True)).order_by(User.email)).all()
    undo = undoable(session, user, settings.alerts.timezone, case_id=case.id)
    undo_flags = {d.flag_id: d for d in undo.values() if d.flag_id is not None}
    # Letters are dated in the school's time zone, not UTC (it matters just after midnight).
    today = utcnow().astimezone(ZoneInfo(settings.alerts.timezone)).date()
    requested = request.args.get("page", 1, type=int) or 1
    buttons = tuple(sorted((flag, d.id, d.kind) for flag, d in undo_flags.items()))
    key = ("case", case.id, requested, user.role, today, buttons)
    parts, _ = cache.kept(key, CaseParts, lambda: _parts(reference, requested, undo_flags, today))
    audit("view_case", "case", case.reference, f"page={parts.page}" if parts.pages > 1 else None)
    session.commit()
    token = generate_csrf()
    return render_template(
        "case.html",
        case=case,
        posts_html=Markup(parts.posts_html.replace(CSRF_SLOT, token)),
        drafts_html=Markup(parts.drafts_html.replace(CSRF_SLOT, token)),
        moves=[(s, MOVE_LABELS.get(s, s)) for s in allowed(case.status, user.role, case.severity)],
        may_export=user.role in EXPORT_ROLES,
        may_lead=leads,
        assignable=people if leads else [],
        outcomes=OUTCOMES,
        steps=steps_for(case, settings, own=parts.own_page),
        done=steps_done(session, case),
        kept=letters_kept(session, case),
        own_page=parts.own_page,
        page_admin_howto=PAGE_ADMIN_HOWTO,
        worded_actions=WORDED_ACTIONS,
        overdue=overdue(case, utcnow()),
        undo_moves=[d for d in undo.values() if d.kind == "move"],
        describe=describe,
    )


@bp.post("/cases/<reference>/move")
@requires(*ROLES)
def move(reference: str) -> BaseResponse:
    form = MoveForm()
    if not form.validate():
        abort(400, "Choose what happened.")
    case = _case(reference)
    user = current_user()
    before = snapshot(None, case)
    try:
        done = transition(db(), case, form.status.data or "", user.email, user.role,
                          form.note.data or "")  # fmt: skip
    except WorkflowError as exc:
        abort(403, str(exc))
    remember(db(), "move", user, before, case=case)
    audit("case_move", "case", case.reference, f"{done.old} -> {done.new}")
    db().commit()
    flash(f"{case.reference}: {MOVE_LABELS.get(done.new, done.new)}.")
    return redirect(url_for("cases.show", reference=case.reference))


@bp.get("/cases/<reference>/evidence.zip")
@requires(*EXPORT_ROLES)
def evidence_pack(reference: str) -> Response:
    """The evidence pack as a ZIP, always an attachment: never rendered by the browser."""
    case = _case(reference)
    data = evidence_zip(db(), case.reference, core().settings)
    audit("export_evidence", "case", case.reference, "zip")
    db().commit()
    return Response(
        data,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{case.reference}-evidence.zip"'},
    )


@bp.get("/cases/<reference>/evidence.html")
@requires(*EXPORT_ROLES)
def evidence_page(reference: str) -> Response:
    """The printable pack, under the app's CSP: no script at all, and only its own stylesheet."""
    case = _case(reference)
    html = evidence_html(db(), case.reference, core().settings)
    style = _STYLE.search(html)  # the template's, in <head>: post text is escaped
    if style:
        digest = hashlib.sha256(style.group(1).encode("utf-8")).digest()
        g.csp_style_hashes = (base64.b64encode(digest).decode("ascii"),)
    audit("export_evidence", "case", case.reference, "html")
    db().commit()
    return Response(
        html,
        mimetype="text/html",
        headers={"Content-Disposition": f'inline; filename="{case.reference}-evidence.html"'},
    )
