"""The case page: timeline, workflow actions by role, drafts, evidence download."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from alerts.advice import drafts, next_step
from models import Case
from monitor.web.auth import current_user, requires
from monitor.web.common import audit, core, db
from monitor.web.forms import MoveForm
from monitor.web.views.present import platform_label, when
from monitor.workflow import ROLES, WorkflowError, allowed, transition

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


def _case(reference: str) -> Case:
    case = db().scalar(select(Case).where(Case.reference == reference))
    if case is None:
        abort(404)
    return case


def _drafts_platform(case: Case) -> str:
    """The platform whose report route the drafts describe; for a manual post, where it was seen."""
    if not case.posts:
        return "unknown"
    post = case.posts[0]
    if post.platform == "manual":
        return str((post.raw or {}).get("seen_on") or post.platform)
    return post.platform


@bp.get("/cases/<reference>")
def show(reference: str) -> str:
    case = _case(reference)
    url = case.posts[0].url if case.posts else None
    audit("view_case", "case", case.reference)
    db().commit()
    return render_template(
        "case.html",
        case=case,
        moves=[(s, MOVE_LABELS.get(s, s)) for s in allowed(case.status, current_user().role)],
        next_step=next_step(list(case.categories)),
        drafts=drafts(_drafts_platform(case), list(case.categories), url, case.reference),
    )


@bp.post("/cases/<reference>/move")
@requires(*ROLES)
def move(reference: str) -> BaseResponse:
    form = MoveForm()
    if not form.validate():
        abort(400, "Choose what happened.")
    case = _case(reference)
    user = current_user()
    try:
        done = transition(db(), case, form.status.data or "", user.email, user.role,
                          form.note.data or "")  # fmt: skip
    except WorkflowError as exc:
        abort(403, str(exc))
    audit("case_move", "case", case.reference, f"{done.old} -> {done.new}")
    db().commit()
    flash(f"{case.reference}: {MOVE_LABELS.get(done.new, done.new)}.")
    return redirect(url_for("cases.show", reference=case.reference))


@bp.get("/cases/<reference>/evidence.txt")
def evidence(reference: str) -> Response:
    """A plain-text record of the case: each post as stored, its hash, flags and the timeline."""
    case = _case(reference)
    settings = core().settings
    lines = [f"Schoolwatch evidence record: {case.reference}", f"School: {settings.school.name}",
             f"Status: {case.status}; severity: {case.severity}; "
             f"categories: {', '.join(case.categories)}", ""]  # fmt: skip
    for post in case.posts:
        lines += [
            f"Post on {platform_label(post)}: {post.url or 'no address'}",
            f"Author: {post.author or 'unknown'}; posted: {when(post.created_at)}; "
            f"stored: {when(post.fetched_at)}",
            f"SHA-256 of the stored record: {post.content_sha256}",
            "Text:",
            post.text,
            "",
        ]
        for flag in post.flags:
            lines.append(f"Flag {flag.category} ({flag.status}, score {flag.score:.2f}): "
                         f"{flag.reason}")  # fmt: skip
        lines.append("")
    lines.append("Timeline:")
    lines += [f"{when(e.created_at)}  {e.actor}  {e.action}  {e.detail or ''}" for e in case.events]
    audit("export_evidence", "case", case.reference)
    db().commit()
    return Response(
        "\n".join(lines) + "\n",
        mimetype="text/plain",
        headers={"Content-Disposition": f'attachment; filename="{case.reference}-evidence.txt"'},
    )
