"""The report page in a real browser (Debian's chromium, driven by Playwright): charts drawn,
nothing blocked by the CSP, the nav gone when printed; `make screenshots` keeps its picture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, expect

from monitor.app import App
from monitor.demo import DEMO_EMAIL, demo_login, demo_settings
from tests.web.browsing import SCREENSHOTS, served
from tests.web.report_year import seed_year


@pytest.fixture
def report_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The demo school holding the known 2025-26 year of cases; yields (base URL, password)."""
    app = App.open(demo_settings(tmp_path / "demo"))
    with app.sessions.begin() as session:
        seed_year(session)
    password = demo_login(app)
    with served(app) as base:
        yield base, password
    app.close()


def test_the_headteacher_opens_the_report_from_the_nav_and_prints_it(
    report_server: tuple[str, str], browser: Browser
) -> None:
    base, password = report_server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    blocked: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    page.on("console", collect)
    page.goto(f"{base}/login")
    page.fill("#email", DEMO_EMAIL)
    page.fill("#password", password)
    page.click("button:has-text('Log in')")
    page.click("nav a:has-text('Report')")
    page.select_option("select[name=year]", "2025-26")
    page.check("input[name=governors]")
    page.click("button:has-text('Show')")
    expect(page.locator("h1")).to_contain_text("report to governors, 2025-26")
    expect(page.locator("#incidents")).to_have_text("11")
    charts = page.locator("figure.chart svg")
    expect(charts).to_have_count(4)
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    fill = page.evaluate(
        "getComputedStyle(document.querySelector('figure.chart svg path[fill=\"#1a4d8f\"]')).fill"
    )
    assert fill == "rgb(26, 77, 143)", "the bars lost their colour"
    size = page.evaluate("getComputedStyle(document.querySelector('.report h1')).fontSize")
    assert size == "22.4px", "the report's stylesheet did not apply"
    page.screenshot(path=str(SCREENSHOTS / "report.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("form.report-controls")).to_be_hidden()
    assert blocked == [], blocked
    context.close()
