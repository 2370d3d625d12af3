"""Headteacher's user administration, and the audit log for headteacher and DSL."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from models import AuditEvent, User
from monitor.web.auth import current_user, requires
from monitor.web.common import audit, db
from monitor.web.forms import ActionForm, PasswordResetForm, RoleForm, UserForm
from monitor.web.users import UserError, create_user, set_active, set_password

bp = Blueprint("admin", __name__)
PAGE = 100


@bp.route("/users", methods=["GET", "POST"])
@requires("headteacher")
def users() -> Response | str:
    form = UserForm()
    session = db()
    error = None
    if form.validate_on_submit():
        try:
            user = create_user(session, form.email.data or "", form.role.data or "",
                               form.password.data or "")  # fmt: skip
        except UserError as exc:
            error = str(exc)
            session.rollback()
        else:
            audit("user_add", "user", user.id, f"{user.email} as {user.role}")
            session.commit()
            flash(f"Added {user.email} as {user.role}.")
            return redirect(url_for("admin.users"))
    rows = session.scalars(select(User).order_by(User.email)).all()
    audit("view_users")
    session.commit()
    return render_template("users.html", form=form, users=rows, error=error)


@bp.post("/users/<int:user_id>/<any(disable, enable):change>")
@requires("headteacher")
def toggle(user_id: int, change: str) -> Response:
    ActionForm()
    session = db()
    user = _other_user(user_id)
    set_active(session, user, change == "enable")
    audit(f"user_{change}", "user", user.id, user.email)
    session.commit()
    flash(f"{user.email} is {'enabled' if user.active else 'disabled'}.")
    return redirect(url_for("admin.users"))


def _other_user(user_id: int) -> User:
    user = db().get(User, user_id)
    if user is None:
        abort(404)
    if user.id == current_user().id:
        abort(403, "Change your own account on the Account page.")
    return user


@bp.post("/users/<int:user_id>/role")
@requires("headteacher")
def role(user_id: int) -> Response:
    form = RoleForm()
    if not form.validate():
        abort(400, "Choose one of the roles.")
    user = _other_user(user_id)
    old, user.role = user.role, form.role.data or user.role
    audit("user_role", "user", user.id, f"{user.email}: {old} -> {user.role}")
    db().commit()
    flash(f"{user.email} is now {user.role}.")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
@requires("headteacher")
def reset_password(user_id: int) -> Response:
    form = PasswordResetForm()
    user = _other_user(user_id)
    try:
        set_password(db(), user, form.password.data or "")
    except UserError as exc:
        flash(f"{user.email}: {exc}.")
        return redirect(url_for("admin.users"))
    audit("user_password_reset", "user", user.id, user.email)
    db().commit()
    flash(f"New password set for {user.email}; their sessions have ended.")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
@requires("headteacher", "dsl")
def audit_log() -> str:
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    actor = request.args.get("actor", "").strip()
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if actor:
        query = query.where(AuditEvent.actor == actor)
    session = db()
    events = session.scalars(query.offset((page - 1) * PAGE).limit(PAGE + 1)).all()
    audit("view_audit", detail=f"page={page} actor={actor}")
    session.commit()
    return render_template("audit.html", events=events[:PAGE], page=page,
                           more=len(events) > PAGE, actor=actor)  # fmt: skip
