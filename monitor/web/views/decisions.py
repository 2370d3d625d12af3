"""Decision routes: confirm, dismiss, change category, note. Every role may decide a flag, but
only the Headteacher or the DSL may dismiss an urgent or high one: staff propose it."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, flash, redirect, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from models import Decision, Flag, Post
from monitor.web import decide, undo
from monitor.web.auth import current_user, requires
from monitor.web.common import core, db, safe_next
from monitor.web.forms import ActionForm, BulkForm, CategoryForm, DismissForm, NoteForm
from monitor.workflow import ROLES

bp = Blueprint("decisions", __name__)


def _flag(flag_id: int) -> Flag:
    flag = db().get(Flag, flag_id)
    if flag is None:
        abort(404)
    return flag


def _back(form: ActionForm) -> Response:
    db().commit()
    return redirect(safe_next(form.next.data, url_for("queue.index")))


def _flags(n: int) -> str:
    return f"{n} flag{'' if n == 1 else 's'}"


@bp.post("/flags/bulk")
@requires(*ROLES)
def bulk() -> Response:
    """The open flags of the chosen posts (of the filtered category only, when the queue was
    filtered), each decided as if alone: the role rule holds flag by flag."""
    form = BulkForm()
    if not form.validate():
        abort(400, "Choose confirm or dismiss.")
    action, reason = form.action.data, form.reason.data or ""
    chosen = sorted({int(v) for v in request.form.getlist("post") if v.isdigit()})
    if not chosen:
        flash("Choose at least one post first.")
        return _back(form)
    if action == "dismiss" and not reason:
        flash("Nothing was dismissed: choose a reason for dismissing first.")
        return _back(form)
    session, user, settings = db(), current_user(), core().settings
    query = select(Flag).where(Flag.post_id.in_(chosen), Flag.status == "open")
    if form.category.data:
        query = query.where(Flag.category == form.category.data)
    flags = list(session.scalars(query.order_by(Flag.post_id, Flag.id)))
    outcome: Counter[str] = Counter()
    held: list[str] = []
    for flag in flags:
        if action == "confirm":
            decide.confirm(session, flag, user, settings)
            outcome["confirmed"] += 1
        elif decide.dismiss(session, flag, user, reason, settings):
            outcome["dismissed"] += 1
        else:
            held.append(f"{flag.severity} {flag.category}")
    untouched = len(set(chosen) - {f.post_id for f in flags})
    if outcome["confirmed"]:
        flash(f"Confirmed {_flags(outcome['confirmed'])}.")
    if outcome["dismissed"]:
        flash(f"Dismissed {_flags(outcome['dismissed'])} ({decide.REASON_WORDS[reason]}).")
    if held:
        flash(f"{_flags(len(held))} ({', '.join(held)}) stay{'s' if len(held) == 1 else ''} "
              "open: the headteacher and the DSL have been asked to sign off "
              f"{'its' if len(held) == 1 else 'their'} dismissal.")  # fmt: skip
    if untouched:
        flash(f"{untouched} chosen post{' has' if untouched == 1 else 's have'} no open flag "
              "to decide: left as they were.")  # fmt: skip
    return _back(form)


@bp.post("/decisions/<int:decision_id>/undo")
@requires(*ROLES)
def undo_decision(decision_id: int) -> Response:
    form = ActionForm()
    decision = db().get(Decision, decision_id)
    if decision is None:
        abort(404)
    try:
        undo.undo(db(), decision, current_user(), core().settings.alerts.timezone)
    except undo.UndoRefused as exc:
        abort(403, str(exc))
    flash(f"Undone: {undo.describe(decision)}.")
    return _back(form)


@bp.post("/flags/<int:flag_id>/confirm")
@requires(*ROLES)
def confirm(flag_id: int) -> Response:
    form = ActionForm()
    flag = _flag(flag_id)
    decide.confirm(db(), flag, current_user(), core().settings)
    flash(f"Confirmed: {flag.category}.")
    case = flag.post.case
    if case is not None and case.status == "dismissed":
        flash(f"{case.reference} stays dismissed: ask the headteacher or DSL to reopen it.")
    return _back(form)


@bp.post("/flags/<int:flag_id>/dismiss")
@requires(*ROLES)
def dismiss(flag_id: int) -> Response:
    form = DismissForm()
    if not form.validate():
        abort(400, "Choose a reason for dismissing the flag.")
    flag = _flag(flag_id)
    if decide.dismiss(db(), flag, current_user(), form.reason.data or "", core().settings):
        flash(f"Dismissed: {flag.category}.")
    else:
        flash(f"This {flag.severity} {flag.category} flag stays open: the headteacher and the "
              "DSL have been asked to sign off its dismissal.")  # fmt: skip
    return _back(form)


@bp.post("/flags/<int:flag_id>/category")
@requires(*ROLES)
def category(flag_id: int) -> Response:
    form = CategoryForm()
    if not form.validate():
        abort(400, "Choose one of the policy's categories.")
    flag = _flag(flag_id)
    decide.recategorise(db(), flag, current_user(), form.category.data or "", core().settings)
    flash(f"Category changed to {flag.category}.")
    return _back(form)


@bp.post("/posts/<int:post_id>/note")
@requires(*ROLES)
def note(post_id: int) -> Response:
    form = NoteForm()
    if not form.validate():
        abort(400, "A note cannot be empty.")
    post = db().get(Post, post_id)
    if post is None:
        abort(404)
    decide.add_note(db(), post, current_user(), form.note.data or "")
    flash("Note added.")
    return _back(form)
