"""The review page: a server-rendered Flask app where staff confirm or dismiss flags."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as BaseResponse

from config import Settings
from monitor.app import App
from monitor.health import health_blueprint
from monitor.web.auth import enter_school, load_user
from monitor.web.common import audit, db
from monitor.web.forms import UPLOAD_LIMIT
from monitor.web.views import register

PUBLIC_ENDPOINTS = frozenset({"auth.login", "health.healthz", "health.readyz", "static"})
_NO_SESSION = frozenset({"health.healthz", "health.readyz", "static"})
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def content_security_policy(style_hashes: tuple[str, ...] = ()) -> str:
    """The CSP, allowing besides the site's own files only the inline stylesheets whose
    base64 SHA-256 a view put in ``g.csp_style_hashes`` (the printable evidence pack's)."""
    if not style_hashes:
        return CSP
    allowed = " ".join(f"'sha256-{h}'" for h in style_hashes)
    return CSP.replace("style-src 'self';", f"style-src 'self' {allowed};")


class _CookieInterface(SecureCookieSessionInterface):
    """The cookie is Secure whenever the request came over HTTPS, or the site is https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(request.is_secure or app.config["SESSION_COOKIE_SECURE"])


def secret_key(settings: Settings) -> str:
    """SCHOOLWATCH_SECRET_KEY, or a key generated once and kept in the data dir."""
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race: use its key
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def base_config(settings: Settings) -> dict[str, Any]:
    """What every app of the deployment shares, so that one cookie logs in to all of them."""
    return dict(
        SECRET_KEY=secret_key(settings),
        SESSION_COOKIE_NAME="schoolwatch_session",
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.alerts.base_url.startswith("https://"),
        MAX_CONTENT_LENGTH=256 * 1024,
        # The CSRF token lives as long as the session, which has its own limits.
        WTF_CSRF_TIME_LIMIT=None,
        # Flask-WTF's HTTPS check wants a Referer, which Referrer-Policy: no-referrer never sends;
        # the token and the SameSite cookie carry the protection.
        WTF_CSRF_SSL_STRICT=False,
    )


def security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = content_security_policy(
        tuple(g.get("csp_style_hashes", ()))
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


# The templates of the pages staff open most, compiled when a server starts rather than by the
# first requests after it (about 70 ms of Python, which those requests would wait for).
BUSIEST = ("base.html", "queue.html", "_queue_items.html", "_post.html", "case.html", "_case.html",
           "_drafts.html", "_followup.html")  # fmt: skip


def warm_up(app: Flask) -> None:
    """Before a server listens: the busiest templates compiled and the queue's first counts
    made (one count over every flag, about 0.1 s at 100,000 posts, which the first requests
    after a start would otherwise wait for together)."""
    from monitor.web.views.queue import warm_counts

    for name in BUSIEST:
        app.jinja_env.get_template(name)
    with app.app_context():
        warm_counts()


def create_app(source: Settings | App, config: Mapping[str, Any] | None = None) -> Flask:
    """The review page for ``source``: settings (opens the database) or an App already open."""
    core = source if isinstance(source, App) else App.open(source)
    settings = core.settings
    app = Flask(__name__)
    app.config.update(base_config(settings))
    app.config.update(config or {})
    app.extensions["schoolwatch"] = core
    app.session_interface = _CookieInterface()
    if settings.web.proxies:
        hops = settings.web.proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)  # type: ignore[method-assign]

    @app.before_request
    def allow_screenshots() -> None:
        # Only the intake form takes files; every other form keeps the small limit. This runs
        # before the CSRF check, which is the first to read the body.
        if request.endpoint == "intake.add":
            request.max_content_length = UPLOAD_LIMIT

    CSRFProtect(app)
    register(app)

    app.register_blueprint(health_blueprint(core))

    @app.before_request
    def require_login() -> BaseResponse | None:
        if request.endpoint in _NO_SESSION:
            return None
        g.user, expired = load_user(db())
        if g.user is not None and not enter_school(db(), g.user):
            user, g.user = g.user, None
            if request.endpoint not in PUBLIC_ENDPOINTS:
                audit("school_refused", "user", user.id, request.path[:200], actor=user.email)
                db().commit()
                abort(403, "Your account is not a member of this school.")
        if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
            # script_root: the school's /s/<slug> when mounted in a deployment of several
            target = request.script_root + request.full_path if request.method == "GET" else None
            args: dict[str, Any] = {"next": target.rstrip("?")} if target else {}
            if expired:
                args["expired"] = "1"
            return redirect(url_for("auth.login", **args))
        return None

    app.after_request(security_headers)

    @app.teardown_request
    def close_db(_exc: BaseException | None) -> None:
        session = g.pop("db", None)
        if session is not None:
            session.close()

    @app.errorhandler(413)
    def too_large(_error: Exception) -> tuple[str, int]:
        return render_template("error.html", title="That is too much to send at once",
                               message="Add at most 4 screenshots of up to 10 MB each, "
                                       "or fewer at a time."), 413  # fmt: skip

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> tuple[str, int]:
        return render_template("error.html", title="The form has expired",
                               message="Go back, reload the page and try again."), 400  # fmt: skip

    for code, title in ((403, "Not allowed"), (404, "Not found"), (429, "Too many attempts")):
        app.register_error_handler(code, _error_page(code, title))
    return app


def _error_page(code: int, title: str) -> Any:
    def handler(error: Exception) -> tuple[str, int]:
        message = getattr(error, "description", "") or ""
        return render_template("error.html", title=title, message=message), code

    return handler
