"""A real browser uploads a screenshot on the intake page: its text is read, flagged, and a case
opens with the screenshot kept; on a desktop and on a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from monitor.app import App
from tests.screenshots import render_post
from tests.web.browsing import SIZES, served
from tests.web.conftest import PASSWORD

SCREENSHOTS = {
    "desktop": "Whoever is on the gate at Roose Primary tomorrow, I will batter Mr Okafor",
    "phone": "Roose Primary parents, I will batter Mr Okafor at pick up on Friday",
}


@pytest.fixture
def server(app: App, users: dict[str, str]) -> Iterator[str]:
    with served(app) as base:
        yield base


def _upload_a_screenshot(page: Page, base: str, email: str, text: str) -> None:
    page.goto(f"{base}/intake")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Log in')")
    expect(page.locator("h1")).to_have_text("Add a post")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the form scrolls sideways ({width}px)"  # type: ignore[index]
    page.select_option("#seen_on", "snapchat")
    page.set_input_files("#screenshots", files=[
        {"name": "snapchat.png", "mimeType": "image/png", "buffer": render_post(text)}
    ])  # fmt: skip
    page.click("button:has-text('Add and check')")
    expect(page).to_have_url(re.compile(r"/cases/SW-\d{4}-\d{4}$"), timeout=30_000)
    expect(page.locator(".flash")).to_contain_text("is open for it")
    quote = page.locator("blockquote.post-text").first
    expect(quote).to_contain_text("[Text read from image 1]")  # the OCR text, shown
    expect(quote).to_contain_text("I will batter")
    expect(quote.locator("mark").first).to_be_visible()  # the words the threat was flagged on
    expect(page.locator("li.flag strong").first).to_have_text("threat")
    expect(page.locator("h1 .badge")).to_have_text("urgent")
    expect(page.locator("ul.screenshots")).to_contain_text("snapchat.png")


def test_staff_upload_a_screenshot_of_a_threat_and_a_case_opens_on_desktop_and_phone(
    server: str, browser: Browser, users: dict[str, str]
) -> None:
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        page = context.new_page()
        _upload_a_screenshot(page, server, users["staff"], SCREENSHOTS[size])
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{size}: the case page scrolls sideways ({width}px)"
        link = page.locator("ul.screenshots a").first
        response = page.request.get(f"{server}{link.get_attribute('href')}")
        assert response.status == 200 and response.headers["content-type"] == "image/png"
        assert response.body() == render_post(SCREENSHOTS[size])
        context.close()
