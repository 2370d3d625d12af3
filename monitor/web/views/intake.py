"""Manual intake: a post seen where Schoolwatch cannot look (TikTok, Snapchat, groups)."""

from __future__ import annotations

import hashlib

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from config import Settings
from connectors import FetchedPost
from models import CaseEvent, Flag, Post, utcnow
from monitor.cases import open_case, route_case, worst
from monitor.cycle import CycleReport, classify_posts
from monitor.ingest import insert_posts
from monitor.web.auth import current_user, requires
from monitor.web.common import audit, core, db
from monitor.web.forms import IntakeForm
from monitor.workflow import ROLES

bp = Blueprint("intake", __name__)


def manual_post(url: str, text: str, seen_on: str, submitted_by: str) -> FetchedPost:
    digest = hashlib.sha256(f"{url}\n{text}".encode()).hexdigest()[:32]
    return FetchedPost(
        platform="manual", external_id=digest, text=text, author=None, url=url,
        raw={"submitted_by": submitted_by, "seen_on": seen_on},
    )  # fmt: skip


def raise_by_judgement(
    session: Session, post: Post, category: str, who: str, settings: Settings
) -> None:
    """A member of staff says the post breaks the policy under ``category``, whatever the
    classifier said: a confirmed flag of theirs, and the case it opens or joins, routed as usual."""
    now = utcnow()
    post.relevant = True
    severity = settings.severity(category)  # a person's judgement is evidence enough for urgent
    same = [f for f in post.flags if f.category == category]
    for flag in same:
        flag.status, flag.severity = "confirmed", severity
    if not same:
        post.flags.append(Flag(
            post_id=post.id, category=category, score=1.0, severity=severity,
            evidence=[], reason=f"Raised by {who} on their own judgement", stage="staff",
            model_version="staff", status="confirmed", created_at=now,
        ))  # fmt: skip
    session.flush()
    case = post.case
    if case is None:
        open_case(session, post, settings)
        return
    case.categories = sorted({*case.categories, category})
    case.severity = worst([case.severity, settings.severity(category)])
    case.updated_at = now
    session.add(CaseEvent(case_id=case.id, actor=who, action="raised",
                          detail=f"{category} raised by {who}", created_at=now))  # fmt: skip
    route_case(session, case, settings)


@bp.route("/intake", methods=["GET", "POST"])
@requires(*ROLES)
def add() -> Response | str:
    form = IntakeForm()
    if not form.validate_on_submit():
        return render_template("intake.html", form=form)
    user = current_user()
    post = manual_post(form.url.data or "", form.text.data or "", form.seen_on.data or "other",
                       user.email)  # fmt: skip
    app = core()
    with app.sessions.begin() as session:
        new_ids = insert_posts(session, [post], f"manual:{user.email}")
    report = CycleReport(source="manual")
    classify_posts(app, new_ids, report)
    session = db()
    stored = session.scalars(
        select(Post).where(Post.platform == "manual", Post.external_id == post.external_id)
    ).one()
    audit("intake", "post", stored.id, "new" if new_ids else "already submitted")
    if form.raise_as.data:
        raise_by_judgement(session, stored, form.raise_as.data, user.email, app.settings)
        audit("intake_raised", "post", stored.id, f"raised as {form.raise_as.data}")
    session.commit()
    if stored.case is not None:
        flash(f"Added. Case {stored.case.reference} is open for it.")
        return redirect(url_for("cases.show", reference=stored.case.reference))
    if not new_ids:
        flash("That post was already submitted.")
    elif not stored.relevant:
        flash("Added. Schoolwatch did not find a mention of the school or anyone on the roster.")
    else:
        flash("Added. No part of the policy was flagged; it is kept with the other posts.")
    return redirect(url_for("intake.add"))
