"""Logging in and out."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from monitor.web.auth import (
    check_password,
    complete_login,
    current_user,
    end_session,
    enter_school,
)
from monitor.web.common import address, audit, db, safe_next
from monitor.web.forms import ActionForm, LoginForm
from monitor.web.users import normalise_email

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
        password, where = form.password.data or "", address()
        user, attempt = check_password(session, email, password, where, audit)
        if user is not None:
            if not enter_school(session, user):
                # A login of the deployment, but not of this school: its door stays shut.
                audit("login_refused", "user", user.id, "not a member of this school",
                      actor=user.email)  # fmt: skip
                session.commit()
                abort(403, "This account is not a member of this school.")
            complete_login(session, user, attempt, password, where, audit)
            return redirect(safe_next(form.next.data, url_for("queue.index")))
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
