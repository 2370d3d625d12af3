"""Liveness and readiness: ``/healthz``, ``/readyz`` and ``schoolwatch status`` share this."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Flask, Response, jsonify
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from models import OutboxEmail, Post, Source, utcnow
from monitor.app import App
from monitor.outbox import UNSENT

URGENT_LATE = timedelta(minutes=15)  # an urgent alert unsent for longer: not ready


def readiness(app: App, now: datetime | None = None, *, errors: bool = True) -> dict[str, Any]:
    """Database reachable; per source its last successful cycle and age; the outbox backlog.
    ``errors=False`` leaves out error messages, for the unauthenticated ``/readyz``."""
    now = now or utcnow()
    try:
        with app.sessions() as session:
            session.execute(text("SELECT 1"))
            rows = {s.name: s for s in session.scalars(select(Source))}
            counts = select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
            backlog: dict[str, int] = {status: n for status, n in session.execute(counts).all()}
            unsent = OutboxEmail.status.in_(UNSENT)
            oldest = session.scalar(select(func.min(OutboxEmail.created_at)).where(unsent))
            oldest_urgent = session.scalar(
                select(func.min(OutboxEmail.created_at)).where(unsent, OutboxEmail.kind == "urgent")
            )
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
    urgent_wait = (now - oldest_urgent).total_seconds() if oldest_urgent else None
    late = urgent_wait is not None and urgent_wait > URGENT_LATE.total_seconds()
    return {
        # Not ready while an urgent alert has waited too long: a Head who is never told of a
        # threat must hear of it from the monitoring, not find out later.
        "ready": not late,
        "database": "ok",
        "sources": sources,
        "outbox": {
            "pending": int(backlog.get("pending", 0)),
            "failed": int(backlog.get("failed", 0)),
            "sent": int(backlog.get("sent", 0)),
            "delivery": "smtp" if app.settings.smtp_url else "files",
            "oldest_unsent_seconds": round((now - oldest).total_seconds()) if oldest else None,
            "urgent_unsent_seconds": round(urgent_wait) if urgent_wait is not None else None,
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
