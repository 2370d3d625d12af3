"""Manual intake: a post seen where Schoolwatch cannot look (TikTok, Snapchat, groups)."""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from config import Settings
from connectors import Attachment, FetchedPost
from connectors.ocr import MAX_BYTES, ImageRejected, OcrError, screenshot, with_screenshots
from models import CaseEvent, EvidenceImage, Flag, Post, utcnow
from monitor.cases import open_case, route_case, worst
from monitor.cycle import CycleReport, classify_posts
from monitor.ingest import insert_posts
from monitor.web.auth import current_user, requires
from monitor.web.common import audit, core, db
from monitor.web.forms import MAX_SCREENSHOTS, IntakeForm
from monitor.workflow import ROLES

bp = Blueprint("intake", __name__)


def manual_post(
    url: str, text: str, seen_on: str, submitted_by: str, images: tuple[Attachment, ...] = ()
) -> FetchedPost:
    """The submitted post; its text is the typed text followed by what OCR read in each image."""
    hashes = "".join(f"\n{item.sha256}" for item in images)
    digest = hashlib.sha256(f"{url}\n{text}{hashes}".encode()).hexdigest()[:32]
    raw: dict[str, object] = {"submitted_by": submitted_by, "seen_on": seen_on}
    if images:
        raw["screenshots"] = [{"filename": i.filename, "sha256": i.sha256} for i in images]
    return FetchedPost(
        platform="manual", external_id=digest, text=with_screenshots(text, images), author=None,
        url=url or None, raw=raw, attachments=images,
    )  # fmt: skip


ONLY_IMAGES = "Only PNG or JPEG screenshots can be added"


def read_screenshots(form: IntakeForm) -> tuple[Attachment, ...] | None:
    """The form's images, checked and read; None (with the reason on the form) if one is refused."""
    files = [f for f in (form.screenshots.data or []) if isinstance(f, FileStorage) and f.filename]
    if len(files) > MAX_SCREENSHOTS:
        form.screenshots.errors = [f"Add at most {MAX_SCREENSHOTS} screenshots at a time."]
        return None
    images: list[Attachment] = []
    for upload in files:
        name = (upload.filename or "screenshot").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
        try:
            images.append(screenshot(upload.read(), name))
        except ImageRejected as exc:
            limit = MAX_BYTES // (1024 * 1024)
            form.screenshots.errors = [f"{ONLY_IMAGES}, up to {limit} MB each: {exc}."]
            return None
        except OcrError as exc:
            form.screenshots.errors = [
                f"Schoolwatch could not read {name!r} ({exc}); type the post's words instead."
            ]
            return None
    return tuple(images)


def _complete(form: IntakeForm, images: tuple[Attachment, ...]) -> bool:
    """Text or a readable screenshot, and an address unless there is a screenshot."""
    typed = (form.text.data or "").strip()
    if not images and not form.url.data:
        form.url.errors = ["Give the post's address, or add a screenshot of it."]
        return False
    if not typed and not any(i.ocr_text for i in images):
        form.text.errors = [
            "No text could be read in the screenshot: type the post's words here."
            if images else "Paste the post's text, or add a screenshot of it."
        ]  # fmt: skip
        return False
    return True


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
    images = read_screenshots(form)
    if images is None or not _complete(form, images):
        return render_template("intake.html", form=form)
    user = current_user()
    post = manual_post(form.url.data or "", form.text.data or "", form.seen_on.data or "other",
                       user.email, images)  # fmt: skip
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
    for image in images:
        audit("intake_upload", "post", stored.id,
              f"{image.filename[:100]} {image.content_type} {len(image.data)} bytes "
              f"sha256 {image.sha256}, {len(image.ocr_text)} characters read")  # fmt: skip
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


@bp.get("/posts/<int:post_id>/images/<sha256>")
@requires(*ROLES)
def image(post_id: int, sha256: str) -> Response:
    """A kept screenshot, as checked on upload (PNG or JPEG), shown inline."""
    found = db().scalar(
        select(EvidenceImage).where(EvidenceImage.post_id == post_id,
                                    EvidenceImage.sha256 == sha256)
    )  # fmt: skip
    if found is None:
        abort(404)
    return Response(found.data, mimetype=found.content_type,
                    headers={"Content-Disposition": "inline"})  # fmt: skip
