"""The queue tells staff about alerts that have not reached anyone, and for how long."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from alerts import sender_from_settings
from models import OutboxEmail, utcnow
from monitor.app import App
from monitor.outbox import relay
from tests.web.conftest import login


def _unsent(app: App) -> int:
    with app.sessions() as session:
        return session.scalar(select(func.count(OutboxEmail.id))) or 0


def test_the_queue_says_how_many_alerts_wait_and_how_long_the_oldest_has(
    app: App, client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    waiting = _unsent(app)
    assert waiting >= 1
    with app.sessions.begin() as session:
        session.execute(update(OutboxEmail).values(created_at=utcnow() - timedelta(minutes=135)))
        first = session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)).first()
        assert first is not None
        first.status, first.last_error = "failed", "SMTP 554: rejected"
    login(client, users["staff"])
    html = client.get("/").get_data(as_text=True)
    assert f"{waiting} alert{'' if waiting == 1 else 's'} not yet delivered" in html
    assert "(1 refused by the mail server)" in html and "the oldest has waited 2 h 15 min" in html
    assert "schoolwatch alerts flush" in html


def test_the_queue_says_alerts_only_went_to_files_when_no_mail_server_is_set(
    app: App, client: FlaskClient, users: dict[str, str], seeded: dict[str, str]
) -> None:
    relay(app.sessions, sender_from_settings(app.settings))
    login(client, users["staff"])
    html = client.get("/").get_data(as_text=True)
    assert "not yet delivered" not in html
    assert "No mail server is configured" in html
    app.settings = replace(app.settings, smtp_url="smtp://127.0.0.1:25")
    assert "No mail server is configured" not in client.get("/").get_data(as_text=True)
