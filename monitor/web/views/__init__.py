"""The review page's blueprints, registered explicitly."""

from __future__ import annotations

from flask import Flask

from monitor.web.views import (
    account,
    admin,
    auth,
    caselist,
    cases,
    decisions,
    followup,
    intake,
    learning,
    queue,
    report,
)
from monitor.web.views.present import register_filters


def register(app: Flask) -> None:
    for module in (
        auth,
        queue,
        decisions,
        caselist,
        cases,
        followup,
        intake,
        admin,
        account,
        report,
        learning,
    ):
        app.register_blueprint(module.bp)
    register_filters(app)
