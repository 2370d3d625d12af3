"""The case page: timeline, workflow actions by role, drafts, letters, evidence pack downloads."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
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
from monitor.web.common import audit, commit_view, core, db
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
    """A case page below its heading, rendered, with ``CSRF_SLOT`` for the token: every post and
    flag loaded and drafts made over all of them, so it is kept (see ``_case.html``)."""

    html: str
    page: int
    pages: int
    reported_at: datetime | None  # for the overdue badge, which the time of day decides


def _parts(reference: str, requested: int, undo: dict[int, Decision], today: date) -> CaseParts:
    case = _case(reference)
    settings = core().settings
    session = db()
    role = current_user().role
    leads = role in LEADERS
    routes, letters, letters_error = _drafts(case, today)
    pages = max(1, -(-len(case.posts) // POSTS_PER_PAGE))
    page = max(1, min(requested, pages))
    start = (page - 1) * POSTS_PER_PAGE
    reported_at = takedown_requested_at(case)
    people = (
        session.scalars(select(User).where(User.active.is_(True)).order_by(User.email)).all()
        if leads
        else []
    )
    own_page = on_own_page(case, settings)
    html = render_template(
        "_case.html",
        case=case,
        posts=case.posts[start : start + POSTS_PER_PAGE],
        first=start + 1,
        page=page,
        pages=pages,
        moves=[(s, MOVE_LABELS.get(s, s)) for s in allowed(case.status, role, case.severity)],
        next_step=next_step(
            list(case.categories),
            urgent_categories((f.category, f.severity) for p in case.posts for f in p.flags),
        ),
        routes=routes,
        letters=letters,
        letters_error=letters_error,
        reported_at=reported_at,
        may_export=role in EXPORT_ROLES,
        may_lead=leads,
        assignable=people,
        outcomes=OUTCOMES,
        steps=steps_for(case, settings, own=own_page),
        done=steps_done(session, case),
        kept=letters_kept(session, case),
        own_page=own_page,
        page_admin_howto=PAGE_ADMIN_HOWTO,
        worded_actions=WORDED_ACTIONS,
        undo={d.flag_id: d for d in undo.values() if d.flag_id is not None},
        undo_moves=[d for d in undo.values() if d.kind == "move"],
        describe=describe,
        csrf_token=lambda: CSRF_SLOT,
    )
    return CaseParts(html, page, pages, reported_at)


@bp.get("/cases/<reference>")
def show(reference: str) -> str:
    settings = core().settings
    session = db()
    # The case row every time (it must exist in this school); the rest of the page is kept.
    case = session.scalar(select(Case).where(Case.reference == reference))
    if case is None:
        abort(404)
    user = current_user()
    undo = undoable(session, user, settings.alerts.timezone, case_id=case.id)
    # Letters are dated in the school's time zone, not UTC (it matters just after midnight).
    now = utcnow()
    today = now.astimezone(ZoneInfo(settings.alerts.timezone)).date()
    requested = request.args.get("page", 1, type=int) or 1
    buttons = tuple(sorted((d.id, d.kind, d.flag_id or 0) for d in undo.values()))
    key = ("case", case.id, requested, user.role, today, buttons)
    parts, _ = page_cache().kept(key, CaseParts, lambda: _parts(reference, requested, undo, today))
    audit("view_case", "case", case.reference, f"page={parts.page}" if parts.pages > 1 else None)
    commit_view(session)
    return render_template(
        "case.html",
        case=case,
        content=Markup(parts.html.replace(CSRF_SLOT, generate_csrf())),
        overdue=overdue(case, now, parts.reported_at),
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
