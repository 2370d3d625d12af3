"""A takedown clock runs out: the reminder is e-mailed once, and in a real browser (Debian's
chromium, desktop and phone width) the case is listed as overdue and its timeline says so."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from config import Settings
from models import CaseEvent, OutboxEmail, utcnow
from monitor.app import App
from monitor.reminders import send_reminders
from tests.monitor.test_reminders import takedown_case
from tests.web.browsing import SIZES, served
from tests.web.conftest import PASSWORD


def _takedown_requested_two_days_ago(app: App, settings: Settings) -> str:
    reference = takedown_case(app, settings)
    with app.sessions.begin() as session:
        moved = session.scalars(select(CaseEvent).where(CaseEvent.action == "status")).all()
        for event in moved:  # the clock started 49 hours ago
            event.created_at = utcnow() - timedelta(hours=49)
    return reference


def test_a_clock_that_runs_out_sends_a_reminder_and_shows_the_case_overdue(
    app: App, settings: Settings, users: dict[str, str], browser: Browser
) -> None:
    reference = _takedown_requested_two_days_ago(app, settings)
    assert len(send_reminders(app).queued) == 1
    assert send_reminders(app).queued == []  # once, never twice
    with app.sessions() as session:
        [reminder] = session.scalars(select(OutboxEmail).where(OutboxEmail.kind == "reminder"))
    assert reference in reminder.subject and "Report Harmful Content" in reminder.body_text
    with served(app) as base:
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
            page = context.new_page()
            page.goto(f"{base}/login")
            page.fill("#email", users["headteacher"])
            page.fill("#password", PASSWORD)
            page.click("button:has-text('Log in')")
            page.goto(f"{base}/cases?overdue=1")
            row = page.locator(f"text={reference}").first
            expect(row).to_be_visible()
            expect(page.locator(".badge.overdue").first).to_be_visible()
            row.click()
            expect(page.locator("h1")).to_contain_text(reference)
            expect(page.locator("h1 .badge.overdue")).to_be_visible()
            expect(page.get_by_text("clock ran out: reminder e-mailed")).to_be_visible()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], size  # no sideways scrolling on a phone
            context.close()
