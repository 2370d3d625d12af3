"""Serving the review page with waitress (a production WSGI server, pure Python)."""

from __future__ import annotations

import logging

from waitress import serve as waitress_serve

from monitor.app import App
from monitor.web import create_app

log = logging.getLogger(__name__)


def serve(app: App, host: str, port: int) -> None:
    """Serve until interrupted; shares ``app``'s engine and classifier."""
    flask_app = create_app(app)
    log.info("review page on http://%s:%d", host, port)
    waitress_serve(flask_app, host=host, port=port, threads=8, ident="Schoolwatch")
