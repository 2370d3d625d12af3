"""Liveness and readiness: ``/healthz``, ``/readyz`` and ``schoolwatch status`` share this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Flask, Response, jsonify
from sqlalchemy import func, or_, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models import OutboxEmail, Post, Source, utcnow
from monitor.app import App
from monitor.outbox import SENDING, UNSENT

URGENT_LATE = timedelta(minutes=15)  # an urgent alert unsent for longer: not ready


@dataclass(frozen=True)
class Backlog:
    """Alerts (e-mails and second-channel notices) not yet delivered to everyone."""

    pending: int  # will be retried by the relay (or is being sent now)
    failed: int  # refused: waits for `schoolwatch alerts flush`
    sent: int  # delivered over SMTP or the second channel
    written: int  # "sent" as .eml files only (no SMTP server configured): nobody was told
    oldest: datetime | None
    oldest_urgent: datetime | None
    last_error: str | None  # of the oldest unsent alert

    @property
    def unsent(self) -> int:
        return self.pending + self.failed


def waited(since: datetime, now: datetime | None = None) -> str:
    """How long an alert has waited, in words for staff: "2 h 5 min", "12 min"."""
    minutes = max(0, int(((now or utcnow()) - since).total_seconds() // 60))
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def alert_backlog(session: Session) -> Backlog:
    unsent = OutboxEmail.status.in_(UNSENT)
    # An urgent case's e-mail and its second-channel notice alike (both subjects say URGENT).
    urgent = or_(OutboxEmail.kind == "urgent", OutboxEmail.subject.startswith("URGENT"))
    counts = select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
    by_status: dict[str, int] = {status: n for status, n in session.execute(counts).all()}
    written = session.scalar(
        select(func.count(OutboxEmail.id)).where(
            OutboxEmail.status == "sent", OutboxEmail.delivered_to.endswith(".eml")
        )
    )
    oldest = session.execute(
        select(OutboxEmail.created_at, OutboxEmail.last_error)
        .where(unsent)
        .order_by(OutboxEmail.created_at, OutboxEmail.id)
        .limit(1)
    ).first()
    return Backlog(
        pending=int(by_status.get("pending", 0)) + int(by_status.get(SENDING, 0)),
        failed=int(by_status.get("failed", 0)),
        sent=int(by_status.get("sent", 0)) - int(written or 0),
        written=int(written or 0),
        oldest=oldest[0] if oldest else None,
        oldest_urgent=session.scalar(
            select(func.min(OutboxEmail.created_at)).where(unsent, urgent)
        ),
        last_error=oldest[1] if oldest else None,
    )


def readiness(app: App, now: datetime | None = None, *, errors: bool = True) -> dict[str, Any]:
    """Database reachable; per source its last successful cycle and age; the outbox backlog.
    ``errors=False`` leaves out error messages, for the unauthenticated ``/readyz``."""
    now = now or utcnow()
    try:
        with app.sessions() as session:
            session.execute(text("SELECT 1"))
            rows = {s.name: s for s in session.scalars(select(Source))}
            backlog = alert_backlog(session)
            quarantined = session.scalar(
                select(func.count(Post.id)).where(Post.quarantine.is_not(None))
            )
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        database = f"unreachable: {reason}" if errors else "unreachable"
        return {"ready": False, "database": database, "sources": [], "outbox": {}}
    sources: list[dict[str, Any]] = []
    for source in app.settings.sources:
        row = rows.get(source.name)
        last_ok = row.last_success_at if row else None
        age = (now - last_ok).total_seconds() if last_ok else None
        sources.append(
            {
                "name": source.name,
                "type": source.type,
                "last_success": last_ok.isoformat() if last_ok else None,
                "age_seconds": round(age) if age is not None else None,
                "stale": age is None or age > 3 * source.every_seconds,
                "last_outcome": row.last_outcome if row else None,
                "last_error": (row.last_error if row else None) if errors else None,
                "consecutive_failures": row.consecutive_failures if row else 0,
            }
        )
    oldest, oldest_urgent = backlog.oldest, backlog.oldest_urgent
    urgent_wait = (now - oldest_urgent).total_seconds() if oldest_urgent else None
    late = urgent_wait is not None and urgent_wait > URGENT_LATE.total_seconds()
    return {
        # Not ready while an urgent alert has waited too long: a Head who is never told of a
        # threat must hear of it from the monitoring, not find out later.
        "ready": not late,
        "database": "ok",
        "sources": sources,
        "outbox": {
            "pending": backlog.pending,
            "failed": backlog.failed,
            "sent": backlog.sent,
            "written_to_files": backlog.written,
            "delivery": "smtp" if app.settings.smtp_url else "files",
            "oldest_unsent_seconds": round((now - oldest).total_seconds()) if oldest else None,
            "urgent_unsent_seconds": round(urgent_wait) if urgent_wait is not None else None,
            "oldest_unsent_error": backlog.last_error if errors else None,
        },
        "quarantined_posts": int(quarantined or 0),
    }


def health_blueprint(app: App) -> Blueprint:
    blueprint = Blueprint("health", __name__)

    @blueprint.get("/healthz")
    def healthz() -> Response:
        return jsonify({"alive": True})

    @blueprint.get("/readyz")
    def readyz() -> tuple[Response, int]:
        report = readiness(app, errors=False)
        return jsonify(report), 200 if report["ready"] else 503

    return blueprint


def health_only_app(app: App) -> Flask:
    """What ``schoolwatch run --no-web`` serves: the two health endpoints and nothing else."""
    flask_app = Flask("schoolwatch-health")
    flask_app.register_blueprint(health_blueprint(app))
    return flask_app
