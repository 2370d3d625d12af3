"""What the browser tests share: Debian's chromium driven by Playwright (never a downloaded
browser), the window sizes, where screenshots go, and an App served on a free local port."""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server

from monitor.app import App
from monitor.web import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
# `make screenshots` points this at docs/screenshots; otherwise the pictures stay out of the tree.
SCREENSHOTS = Path(
    os.environ.get("SCHOOLWATCH_SCREENSHOTS") or Path(tempfile.gettempdir()) / "schoolwatch-shots"
)
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@contextmanager
def served(app: App) -> Iterator[str]:
    """The review page for ``app`` on a free local port; yields its base URL."""
    server = make_server("127.0.0.1", 0, create_app(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def launch() -> Iterator[Browser]:
    """Chromium for one test (the ``browser`` fixture in tests/web/conftest.py)."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()
