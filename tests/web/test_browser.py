"""A real browser (Debian's chromium, driven by Playwright) works through the demo's queue."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from monitor.app import App
from monitor.cycle import run_cycle
from monitor.demo import DEMO_EMAIL, demo_login, demo_settings
from monitor.web.users import create_user
from tests.web.browsing import SCREENSHOTS, SIZES, served


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The demo school after one cycle, served on a free port; yields (base URL, password)."""
    app = App.open(demo_settings(tmp_path / "demo"))
    for source in app.settings.sources:
        run_cycle(app, source.name, send=False)
    password = demo_login(app)
    with served(app) as base:
        yield base, password
    app.close()


def _work_through_the_queue(page: Page, base: str, password: str, size: str) -> None:
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login?next=/")
    page.fill("#email", DEMO_EMAIL)
    page.fill("#password", password)
    page.click("button:has-text('Log in')")
    expect(page.locator("h1")).to_have_text("Flags to review")
    first = page.locator("article.item").first
    expect(first.locator(".badge").first).to_have_text("urgent")
    reference = first.locator("a.case-link").inner_text()
    page.screenshot(path=str(SCREENSHOTS / f"queue-{size}.png"))
    counted = page.locator("a.count:has-text('confirmed')").inner_text()
    confirmed_before = int(counted.rsplit(" ", 1)[1])

    first.locator("button:has-text('Confirm')").first.click()
    expect(page.locator(".flash")).to_contain_text("Confirmed")
    confirmed = page.locator("a.count:has-text('confirmed')")
    expect(confirmed).to_have_text(f"confirmed: {confirmed_before + 1}")

    confirmed.click()
    page.click(f"a.case-link:has-text('{reference}')")
    expect(page.locator("h1")).to_contain_text(reference)
    expect(page.locator(".case-status")).to_have_text("confirmed")
    expect(page.locator(".timeline")).to_contain_text("confirm")
    copy = page.locator("button.copy").first
    copy.click()
    expect(copy).to_have_text("Copied")
    letter = page.locator("#letter-first_request")
    letter.fill("Dear Ms Example, edited by hand.")
    page.click("button[data-copy='letter-first_request']")
    expect(page.locator("button[data-copy='letter-first_request']")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == "Dear Ms Example, edited by hand."
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"case-{size}.png"))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the case page scrolls sideways ({width}px)"  # type: ignore[index]
    page.goto(f"{base}/cases/{reference}/evidence.html")
    expect(page.locator("h1")).to_have_text(f"Evidence pack: case {reference}")
    size_px = page.evaluate("getComputedStyle(document.querySelector('h1')).fontSize")
    assert size_px == "22px", "the pack's own stylesheet did not apply"


def _collect_csp_errors(into: list[str]) -> Callable[[ConsoleMessage], None]:
    def collect(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            into.append(message.text)

    return collect


def test_staff_log_in_confirm_a_flag_and_open_its_case_on_desktop_and_phone(
    demo_server: tuple[str, str], browser: Browser
) -> None:
    base, password = demo_server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        page = context.new_page()
        blocked: list[str] = []
        page.on("console", _collect_csp_errors(blocked))
        _work_through_the_queue(page, base, password, size)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{size}: the page scrolls sideways ({width}px)"
        assert blocked == [], blocked
        context.close()


STAFF_EMAIL, STAFF_PASSWORD = "ta@roose.example", "a long enough staff pass phrase"


def test_staff_cannot_dismiss_an_urgent_flag_alone_on_desktop_and_phone(
    demo_server: tuple[str, str], browser: Browser, tmp_path: Path
) -> None:
    base, _ = demo_server
    app = App.open(demo_settings(tmp_path / "demo"))
    with app.sessions.begin() as session:
        create_user(session, STAFF_EMAIL, "staff", STAFF_PASSWORD)
    app.close()
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        page = context.new_page()
        page.goto(f"{base}/login")
        page.fill("#email", STAFF_EMAIL)
        page.fill("#password", STAFF_PASSWORD)
        page.click("button:has-text('Log in')")
        item = page.locator("article.item", has=page.locator(".badge:has-text('urgent')")).first
        reference = item.locator("a.case-link").inner_text()
        flag = item.locator("li.flag", has=page.locator(".badge:has-text('urgent')")).first
        flag.locator("select[name=reason]").select_option("not_our_school")
        flag.locator("button:has-text('Dismiss')").click()
        expect(page.locator(".flash")).to_contain_text("asked to sign off")
        page.goto(f"{base}/cases/{reference}")
        expect(page.locator(".timeline")).to_contain_text("proposes dismissing")
        assert page.locator("section.moves button:has-text('Dismiss')").count() == 0
        page.screenshot(path=str(SCREENSHOTS / f"signoff-{size}.png"))
        context.close()
