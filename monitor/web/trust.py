"""A deployment of several schools on the web: each school's review page is its own Flask app
under ``/s/<slug>/`` holding only that school's App, so no view of one school can reach another
school's rows; the root serves the login, the list of one's schools and the trust page.

One login for all of them: the apps share the secret key and the cookie (its path is ``/``),
and each school's app lets in only its members. A one-school deployment is served by the
school's app at ``/`` alone, exactly as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from flask import Blueprint, Flask, abort, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from models import AuditEvent, Membership, School, User, utcnow
from monitor.deployment import Deployment
from monitor.trust import trust_view
from monitor.web import base_config, create_app, security_headers
from monitor.web.auth import (
    check_password,
    complete_login,
    end_session,
    load_user,
)
from monitor.web.common import address, safe_next
from monitor.web.forms import ActionForm, LoginForm
from monitor.web.users import TRUST, normalise_email

bp = Blueprint("trust", __name__)
_PUBLIC = frozenset({"trust.login", "trust.healthz", "static"})


def create_deployment_app(deployment: Deployment, config: Mapping[str, Any] | None = None) -> Flask:
    """The whole deployment's web app: one school at ``/``, or several under ``/s/<slug>/``."""
    if deployment.single:
        return create_app(deployment.apps()[0], config)
    root = Flask(__name__)
    root.config.update(base_config(deployment.settings))
    root.config.update(config or {})
    root.extensions["schoolwatch.deployment"] = deployment
    CSRFProtect(root)
    root.register_blueprint(bp)
    root.before_request(_require_login)
    root.after_request(security_headers)
    root.teardown_request(_close_db)
    for code, title in ((403, "Not allowed"), (404, "Not found"), (429, "Too many attempts")):
        root.register_error_handler(code, _error_page(code, title))
    root.register_error_handler(CSRFError, _csrf_failed)
    mounts: dict[str, Any] = {
        f"/s/{app.slug}": create_app(app, config) for app in deployment.apps()
    }
    root.wsgi_app = DispatcherMiddleware(root.wsgi_app, mounts)  # type: ignore[method-assign]
    if deployment.settings.web.proxies:
        hops = deployment.settings.web.proxies
        root.wsgi_app = ProxyFix(root.wsgi_app, x_for=hops, x_proto=hops, x_host=0)  # type: ignore[method-assign]
    return root


def deployment() -> Deployment:
    from flask import current_app

    return cast(Deployment, current_app.extensions["schoolwatch.deployment"])


def db() -> Session:
    """The root's session: users, logins and the deployment's own audit rows, and (through the
    trust page alone) the cross-school counts."""
    if "db" not in g:
        g.db = deployment().aggregates()()
    return cast(Session, g.db)


def _close_db(_exc: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def audit(action: str, object_type: str | None = None, object_id: object = None,
          detail: str | None = None, actor: str | None = None) -> None:  # fmt: skip
    """A deployment-level audit row (no school): trust page views, logins at the root."""
    user = g.get("user")
    who = actor or (user.email if user is not None else f"anonymous@{address()}")
    db().add(AuditEvent(actor=who, action=action, object_type=object_type, school_id=None,
                        object_id=None if object_id is None else str(object_id)[:100],
                        detail=detail, created_at=utcnow()))  # fmt: skip


def _require_login() -> Response | None:
    if request.endpoint in ("trust.healthz", "static"):
        return None
    g.user, expired = load_user(db())
    if g.user is None and request.endpoint not in _PUBLIC:
        args: dict[str, Any] = {"next": request.path} if request.method == "GET" else {}
        if expired:
            args["expired"] = "1"
        return redirect(url_for("trust.login", **args))
    return None


def my_schools(user: User) -> list[tuple[str, str, str]]:
    """(slug, name, role) of each school of the deployment that ``user`` is a member of."""
    rows = (
        db()
        .execute(
            select(School.slug, School.name, Membership.role)
            .join(Membership, Membership.school_id == School.id)
            .where(Membership.user_id == user.id)
            .order_by(School.name)
        )
        .all()
    )
    configured = deployment().schools
    return [(slug, name, role) for slug, name, role in rows if slug in configured]


@bp.get("/healthz")
def healthz() -> tuple[str, int]:
    return "ok", 200


@bp.get("/")
def index() -> str:
    user = g.user
    return render_template("trust/index.html", schools=my_schools(user), trust=user.role == TRUST)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str:
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
            complete_login(session, user, attempt, password, where, audit)
            return redirect(safe_next(form.next.data, url_for("trust.index")))
        error = "That e-mail and password do not match an active account."
    expired = request.args.get("expired") == "1"
    return render_template("login.html", form=form, error=error, expired=expired,
                           layout="trust/base.html", login_endpoint="trust.login")  # fmt: skip


@bp.post("/logout")
def logout() -> Response:
    ActionForm()
    audit("logout", "user", g.user.id)
    end_session(db())
    db().commit()
    return redirect(url_for("trust.login"))


@bp.get("/trust")
def trust() -> str:
    """Counts across the schools; refused (and logged) for anyone without the trust role."""
    user = g.user
    if user.role != TRUST:
        audit("trust_refused", "trust", None, "not a trust user")
        db().commit()
        abort(403, "The trust page is for the trust's safeguarding lead.")
    names = deployment().school_names()
    view = trust_view(db())
    audit("trust_view", "trust", None, f"{len(names)} schools")
    db().commit()
    return render_template("trust/trust.html", view=view, names=names,
                           schools=my_schools(user))  # fmt: skip


def _error_page(code: int, title: str) -> Any:
    def handler(error: Exception) -> tuple[str, int]:
        message = getattr(error, "description", "") or ""
        return render_template("trust/error.html", title=title, message=message), code

    return handler


def _csrf_failed(_error: CSRFError) -> tuple[str, int]:
    return render_template("trust/error.html", title="The form has expired",
                           message="Go back, reload the page and try again."), 400  # fmt: skip
