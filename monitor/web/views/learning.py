"""What the school has taught Schoolwatch: the model versions and why each was promoted or
refused (Headteacher), threshold calibration from decisions (applied by the Headteacher only),
and the "not a concern here" rules made from dismissals (Headteacher and DSL)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from classifiers.suppress import NEVER_SUPPRESSED, SuppressionError
from models import Flag, SchoolRule, ThresholdOverride, utcnow
from monitor.calibration import MIN_DECIDED, TERM_DAYS, TERM_POSTS, calibrate
from monitor.registry import SHIPPED, Registry, RegistryError
from monitor.schoolrules import (
    NotAllowed,
    apply_threshold,
    create_rule,
    remove_rule,
    safety_ceiling,
)
from monitor.web import decide
from monitor.web.auth import current_user, requires
from monitor.web.common import audit, core, db, safe_next
from monitor.web.forms import ActionForm
from monitor.workflow import LEADERS

bp = Blueprint("learning", __name__)


@bp.get("/model")
@requires("headteacher")
def models() -> str:
    registry = Registry(core().settings.data_dir)
    try:
        entries, active = list(reversed(registry.entries())), registry.active()
    except RegistryError as exc:
        entries, active = [], f"unreadable ({exc})"
    audit("view_models")
    db().commit()
    return render_template("models.html", entries=entries, active=active, shipped=SHIPPED)


@bp.get("/calibration")
@requires(*LEADERS)
def calibration() -> str:
    app = core()
    suggestions = calibrate(db(), app.classifier, app.settings)
    overrides = db().scalars(select(ThresholdOverride).order_by(ThresholdOverride.id.desc())).all()
    return render_template("calibration.html", suggestions=suggestions, term_days=TERM_DAYS,
                           min_decided=MIN_DECIDED, history=overrides[:20],
                           term_posts=TERM_POSTS)  # fmt: skip


@bp.post("/calibration/<category>")
@requires("headteacher")
def apply(category: str) -> Response:
    ActionForm()
    try:
        value = float(request.form.get("value", ""))
    except ValueError:
        abort(400, "Give the threshold as a number between 0 and 1.")
    app = core()
    previous = app.classifier.model_threshold(category) if category in _categories() else None
    ceiling = safety_ceiling(app.settings.thresholds, app.classifier.model, category)
    try:
        apply_threshold(db(), current_user(), category, value, previous, ceiling)
    except NotAllowed:
        abort(403)
    except ValueError as exc:
        abort(400, str(exc))
    db().commit()
    flash(f"The {category} threshold is now {value:.2f}.")
    return redirect(url_for("learning.calibration"))


def _categories() -> tuple[str, ...]:
    from config import CATEGORIES

    return tuple(CATEGORIES)


@bp.get("/rules")
@requires(*LEADERS)
def rules() -> str:
    rows = db().scalars(select(SchoolRule).order_by(SchoolRule.id.desc())).all()
    return render_template("rules.html", rules=rows, now=utcnow(),
                           never=sorted(NEVER_SUPPRESSED))  # fmt: skip


@bp.post("/flags/<int:flag_id>/not-here")
@requires(*LEADERS)
def not_here(flag_id: int) -> Response:
    form = ActionForm()
    flag = db().get(Flag, flag_id)
    if flag is None:
        abort(404)
    phrase = request.form.get("phrase", "")
    days_text = request.form.get("days", "").strip()
    try:
        days = int(days_text) if days_text else None
        rule = create_rule(db(), current_user(), phrase, [flag.category],
                           request.form.get("why", ""), days, flag)  # fmt: skip
    except ValueError as exc:  # SuppressionError too
        db().rollback()
        message = str(exc) if isinstance(exc, SuppressionError) else "give the days as a number"
        flash(f"No rule made: {message}.")
        return redirect(safe_next(form.next.data, url_for("queue.index")))
    decide.dismiss(db(), flag, current_user(), "not_inappropriate", core().settings)
    db().commit()
    flash(f"Dismissed, and posts with {rule.phrase!r} will raise no {flag.category} flag.")
    return redirect(safe_next(form.next.data, url_for("queue.index")))


@bp.post("/rules/<int:rule_id>/remove")
@requires(*LEADERS)
def remove(rule_id: int) -> Response:
    ActionForm()
    rule = db().get(SchoolRule, rule_id)
    if rule is None:
        abort(404)
    if rule.removed_at is None:
        remove_rule(db(), rule, current_user())
        db().commit()
        flash(f"Rule {rule.phrase!r} removed.")
    return redirect(url_for("learning.rules"))
