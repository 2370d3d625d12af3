"""A real browser on the compact queue: bulk confirm and dismiss, undo, on a desktop and a phone;
and axe-core (bundled by the axe-playwright-python package, never fetched at test time) finds no
serious or critical violation on the login page, the queue in both views and the case page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from monitor.app import App
from monitor.demo import DEMO_EMAIL, demo_settings
from monitor.web.users import create_user
from tests.web.browsing import SCREENSHOTS, SIZES
from tests.web.test_browser import demo_server  # noqa: F401  (a fixture)

STAFF_EMAIL, STAFF_PASSWORD = "ta3@roose.example", "a third long staff pass phrase"
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)
AXE = Axe()


def _context(chromium: Browser, size: str) -> BrowserContext:
    viewport: Any = SIZES[size]
    if size == "phone":
        return chromium.new_context(viewport=viewport, user_agent=PHONE_AGENT, is_mobile=True,
                                   has_touch=True)  # fmt: skip
    return chromium.new_context(viewport=viewport)


def _log_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    _accessible(page, "the login page")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Log in')")
    expect(page.locator("h1")).to_have_text("Flags to review")


def _accessible(page: Page, what: str) -> None:
    found = AXE.run(page).response["violations"]
    bad = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
           for v in found if v["impact"] in ("serious", "critical")]  # fmt: skip
    assert bad == [], f"{what}: {bad}"


def _fits(page: Page, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{what} scrolls sideways ({width}px)"  # type: ignore[index]


def _height(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollHeight"))


def test_staff_bulk_confirm_and_dismiss_in_the_compact_view_on_desktop_and_phone(
    demo_server: tuple[str, str],  # noqa: F811
    browser: Browser,
    tmp_path: Path,
) -> None:
    base, _ = demo_server
    app = App.open(demo_settings(tmp_path / "demo"))
    with app.sessions.begin() as session:
        create_user(session, STAFF_EMAIL, "staff", STAFF_PASSWORD)
    app.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        context = _context(browser, size)
        page = context.new_page()
        _log_in(page, base, STAFF_EMAIL, STAFF_PASSWORD)
        rows = page.locator("li.row")
        if size == "desktop":  # the full view by default; compact when chosen, and kept
            expect(page.locator("article.item").first).to_be_visible()
            _accessible(page, "the full queue")
            full = _height(page)
            page.click(".views a:has-text('compact')")
            expect(rows.first).to_be_visible()
            assert _height(page) * 4 < full, "the compact view is not much shorter"
            page.goto(f"{base}/?status=open")
        expect(rows.first).to_be_visible()  # a phone gets the compact view at once
        expect(rows.first.locator(".badge")).to_have_text("urgent")
        _accessible(page, f"the compact queue ({size})")
        page.screenshot(path=str(SCREENSHOTS / f"compact-{size}.png"))
        _fits(page, f"the compact queue ({size})")
        open_rows = rows.count()

        high = page.locator("li.row.high")
        chosen = [high.nth(0).locator("a.case-link").inner_text(),
                  high.nth(1).locator("a.case-link").inner_text()]  # fmt: skip
        high.nth(0).locator("input[type=checkbox]").check()
        high.nth(1).locator("input[type=checkbox]").check()
        page.click("button:has-text('Confirm chosen')")
        expect(page.locator(".flash")).to_contain_text("Confirmed")
        expect(rows).to_have_count(open_rows - 2)
        for reference in chosen:
            expect(page.locator(f"li.row a.case-link:text-is('{reference}')")).to_have_count(0)

        page.locator("li.row.urgent input[type=checkbox]").first.check()
        page.locator("li.row.low input[type=checkbox]").first.check()
        page.click("button:has-text('Dismiss chosen')")  # no reason yet: the browser holds it
        assert page.locator("select[name=reason]").evaluate("e => e.validity.valueMissing")
        expect(page.locator(".flash")).to_contain_text("Confirmed")
        page.select_option("select[name=reason]", "not_inappropriate")
        page.click("button:has-text('Dismiss chosen')")
        expect(page.locator(".flash").first).to_contain_text(re.compile(r"Dismissed \d+ flags? "))
        expect(page.locator(".flash").nth(1)).to_contain_text("asked to sign off")
        expect(rows).to_have_count(open_rows - 3)
        expect(rows.first.locator(".badge")).to_have_text("urgent")  # still there, still first

        undo = page.locator("section.undo button:has-text('Undo the confirmation')").first
        undo.click()
        expect(page.locator(".flash")).to_contain_text("Undone: the confirmation")
        expect(rows).to_have_count(open_rows - 2)
        _accessible(page, f"the compact queue after decisions ({size})")
        _fits(page, f"the compact queue after decisions ({size})")
        context.close()


def test_a_leader_undoes_a_case_move_and_a_confirmation_on_desktop_and_phone(
    demo_server: tuple[str, str],  # noqa: F811
    browser: Browser,
) -> None:
    base, password = demo_server
    for size in SIZES:
        context = _context(browser, size)
        page = context.new_page()
        _log_in(page, base, DEMO_EMAIL, password)
        page.goto(f"{base}/?view=full")
        item = page.locator("article.item", has=page.locator(".status:text-is('new')")).first
        reference = item.locator("a.case-link").inner_text()
        page.goto(f"{base}/cases/{reference}")
        _accessible(page, f"the case page ({size})")
        page.click("section.moves button:has-text('Confirm')")
        expect(page.locator(".case-status")).to_have_text("confirmed")
        page.click("section.undo button:has-text('Undo the move of the case from new to')")
        expect(page.locator(".flash")).to_contain_text("Undone")
        expect(page.locator(".case-status")).to_have_text("new")
        expect(page.locator(".timeline")).to_contain_text("undid the move of the case")

        flag = page.locator("li.flag.open").first
        flag.locator("button:has-text('Confirm')").click()
        expect(page.locator(".flash")).to_contain_text("Confirmed")
        page.locator("li.flag button.undo:has-text('Undo confirm')").first.click()
        expect(page.locator(".flash")).to_contain_text("Undone: the confirmation")
        expect(page.locator(".case-status")).to_have_text("new")
        expect(page.locator(".timeline")).to_contain_text("undid the confirmation")
        _accessible(page, f"the case page after an undo ({size})")
        _fits(page, f"the case page ({size})")
        page.screenshot(path=str(SCREENSHOTS / f"undo-{size}.png"))
        context.close()


def test_the_accessibility_check_finds_a_planted_violation(browser: Browser) -> None:  # noqa: F811
    page = browser.new_page()
    page.set_content('<html lang="en"><title>t</title><main><img src="data:,"></main></html>')
    found = {v["id"]: v["impact"] for v in AXE.run(page).response["violations"]}
    assert found.get("image-alt") == "critical"
    page.close()
