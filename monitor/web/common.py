"""What every view shares: the running App, a database session per request, the audit log."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlsplit

from flask import current_app, g, request
from sqlalchemy import text
from sqlalchemy.orm import Session

from models import AuditEvent, utcnow
from monitor.app import App


def core() -> App:
    return cast(App, current_app.extensions["schoolwatch"])


def db() -> Session:
    if "db" not in g:
        g.db = core().sessions()
    return cast(Session, g.db)


def address() -> str:
    return (request.remote_addr or "unknown")[:64]


def audit(action: str, object_type: str | None = None, object_id: object = None,
          detail: str | None = None, actor: str | None = None) -> None:  # fmt: skip
    """Add an audit row to the request's session; the view's commit writes it."""
    user = g.get("user")
    who = actor or (user.email if user is not None else f"anonymous@{address()}")
    db().add(
        AuditEvent(actor=who, action=action, object_type=object_type,
                   object_id=None if object_id is None else str(object_id)[:100],
                   detail=detail, created_at=utcnow())
    )  # fmt: skip


def commit_view(session: Session) -> None:
    """Commit a page view whose only write is its audit row, without waiting for PostgreSQL to
    flush it to disk: the row is still written, in order, and only a crash of the database
    server in the next fraction of a second could lose it. Decisions keep the full wait."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    session.commit()


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never another host (open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target
