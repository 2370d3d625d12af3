"""Decision routes: confirm, dismiss, change category, note. Every role may decide a flag, but
only the Headteacher or the DSL may dismiss an urgent or high one: staff propose it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from werkzeug.wrappers import Response

from models import Flag, Post
from monitor.web import decide
from monitor.web.auth import current_user, requires
from monitor.web.common import core, db, safe_next
from monitor.web.forms import ActionForm, CategoryForm, DismissForm, NoteForm
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
