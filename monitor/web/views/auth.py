"""Logging in and out."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from models import User
from models.tenancy import ALL_USERS
from monitor.web.auth import (
    attempt_succeeded,
    current_user,
    end_session,
    enter_school,
    reserve_attempt,
    start_session,
)
from monitor.web.common import address, audit, db, safe_next
from monitor.web.forms import ActionForm, LoginForm
from monitor.web.users import normalise_email, upgrade_hash, verify_password

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    error = None
    if form.validate_on_submit():
        session = db()
        email = normalise_email(form.email.data or "")
        where = address()
        attempt = reserve_attempt(session, email, where)
        if attempt is None:
            audit("login_throttled", "user", email, actor=email)
            session.commit()
            abort(429, "Too many failed attempts. Wait 15 minutes, then try again.")
        user = session.scalar(
            select(User).where(User.email == email).execution_options(**{ALL_USERS: True})
        )
        stored = user.password_hash if user is not None else None
        if verify_password(stored, form.password.data or "") and user and user.active:
            if not enter_school(session, user):
                # A login of the deployment, but not of this school: its door stays shut.
                audit("login_refused", "user", user.id, "not a member of this school",
                      actor=user.email)  # fmt: skip
                session.commit()
                abort(403, "This account is not a member of this school.")
            upgrade_hash(user, form.password.data or "")
            attempt_succeeded(session, attempt)
            start_session(session, user, where)
            audit("login", "user", user.id, actor=user.email)
            session.commit()
            return redirect(safe_next(form.next.data, url_for("queue.index")))
        audit("login_failed", "user", email, actor=email)
        session.commit()
        error = "That e-mail and password do not match an active account."
    expired = request.args.get("expired") == "1"
    return render_template("login.html", form=form, error=error, expired=expired)


@bp.post("/logout")
def logout() -> Response:
    ActionForm()  # CSRFProtect has already checked the token
    user = current_user()
    session = db()
    audit("logout", "user", user.id)
    end_session(session)
    session.commit()
    return redirect(url_for("auth.login"))
