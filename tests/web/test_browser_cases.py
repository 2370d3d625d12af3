"""A real browser on the case list: filters and search, then a case assigned by the headteacher
turns up under the assignee's "Assigned to me", on a desktop and on a phone."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from monitor.app import App
from monitor.demo import DEMO_EMAIL, demo_settings
from monitor.web.users import create_user
from tests.web.browsing import SCREENSHOTS, SIZES
from tests.web.test_browser import demo_server  # noqa: F401  (a fixture)

TA_EMAIL, TA_PASSWORD = "ta2@roose.example", "another long staff pass phrase"


def _log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Log in')")
    expect(page.locator("h1")).to_have_text("Flags to review")


def _fits(page: Page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} scrolls sideways ({width}px)"  # type: ignore[index]


def test_filter_search_and_assign_cases_on_desktop_and_phone(
    demo_server: tuple[str, str],  # noqa: F811
    browser: Browser,
    tmp_path: Path,
) -> None:
    base, password = demo_server
    app = App.open(demo_settings(tmp_path / "demo"))
    with app.sessions.begin() as session:
        create_user(session, TA_EMAIL, "staff", TA_PASSWORD)
    app.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        head = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        page = head.new_page()
        _log_in(page, base, DEMO_EMAIL, password)
        page.click("nav a:has-text('Cases')")
        expect(page.locator("h1")).to_have_text("Cases")
        rows = page.locator("article.case-row")
        total = rows.count()
        assert total >= 2
        expect(rows.first.locator(".badge").first).to_have_text("urgent")

        page.select_option("select[name=severity]", "urgent")
        page.click("#case-filters button:has-text('Filter')")
        expect(page).to_have_url(re.compile(r"[?&]severity=urgent(&|$)"))
        urgent = rows.count()
        assert 1 <= urgent < total
        for badge in rows.locator("header .badge:not(.overdue)").all():
            expect(badge).to_have_text("urgent")
        reference = rows.first.locator("a.case-link").inner_text()

        page.fill("input[name=q]", reference)
        page.click("#case-filters button:has-text('Filter')")
        expect(rows).to_have_count(1)
        expect(rows.first.locator("a.case-link")).to_have_text(reference)
        page.screenshot(path=str(SCREENSHOTS / f"cases-{size}.png"))
        _fits(page, f"{size}: the case list")

        rows.first.locator("a.case-link").click()
        expect(page.locator("h1")).to_contain_text(reference)
        page.select_option("#assignee", label=f"{TA_EMAIL} (staff)")
        page.click("form.assign button:has-text('Assign')")
        expect(page.locator(".flash")).to_contain_text(f"assigned to {TA_EMAIL}")
        expect(page.locator(".case-assignee")).to_have_text(TA_EMAIL)
        expect(page.locator(".timeline")).to_contain_text(f"assigned to {TA_EMAIL}")
        _fits(page, f"{size}: the case page")
        head.close()

        ta = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        page = ta.new_page()
        _log_in(page, base, TA_EMAIL, TA_PASSWORD)
        page.click("nav a:has-text('Cases')")
        page.click("a.count:has-text('Assigned to me')")
        mine = page.locator("article.case-row")
        expect(mine.locator(f"a.case-link:has-text('{reference}')")).to_have_count(1)
        for row in mine.all():
            expect(row.locator(".assignee")).to_have_text(f"assigned to {TA_EMAIL}")
        assert page.locator("form.assign").count() == 0
        _fits(page, f"{size}: assigned to me")
        ta.close()
