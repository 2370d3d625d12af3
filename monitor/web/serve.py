"""Serving the review page with waitress (a production WSGI server, pure Python)."""

from __future__ import annotations

import logging
import socket

from waitress import create_server

from config import ConfigError
from monitor.app import App
from monitor.deployment import Deployment
from monitor.web import create_app, warm_up

log = logging.getLogger(__name__)
THREADS = 8  # waitress's request threads; the database pool (models.db) keeps more than this


def serve(app: App, host: str, port: int) -> None:
    """Serve until interrupted; shares ``app``'s engine and classifier."""
    check_free(host, port)
    flask_app = create_app(app)
    warm_up(flask_app)
    server = create_server(flask_app, host=host, port=port, threads=THREADS, ident="Schoolwatch")
    log.info("review page on http://%s:%d", host, port)
    server.run()


def check_free(host: str, port: int) -> None:
    """Fail with one clear line before waitress, which reports a taken port with a traceback."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}; is another copy running? "
            "choose another --port"
        ) from None


def serve_deployment(deployment: Deployment, host: str, port: int) -> None:
    """Every school of the deployment under ``/s/<slug>/``, the login and trust page at ``/``."""
    from monitor.web.trust import create_deployment_app

    check_free(host, port)
    wsgi = create_deployment_app(deployment)
    server = create_server(wsgi, host=host, port=port, threads=THREADS, ident="Schoolwatch")
    log.info("review pages of %d schools on http://%s:%d", len(deployment.schools), host, port)
    server.run()
