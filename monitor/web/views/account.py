"""A user's own account: changing the password ends every other session."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from monitor.web.auth import current_user, start_session
from monitor.web.common import address, audit, db
from monitor.web.forms import AccountForm
from monitor.web.users import UserError, set_password, verify_password

bp = Blueprint("account", __name__)


@bp.route("/account", methods=["GET", "POST"])
def password() -> Response | str:
    form = AccountForm()
    error = None
    if form.validate_on_submit():
        user = current_user()
        session = db()
        if not verify_password(user.password_hash, form.current.data or ""):
            error = "The current password is not right."
        else:
            try:
                set_password(session, user, form.new.data or "")
            except UserError as exc:
                error = str(exc)
            else:
                start_session(session, user, address())
                audit("password_change", "user", user.id)
                session.commit()
                flash("Password changed. Every other session has ended.")
                return redirect(url_for("queue.index"))
    return render_template("account.html", form=form, error=error)
