"""Following a case through, for the headteacher and the DSL: assign it, record the platform's and
the police's references and the outcome, tick the procedure's steps, keep letters as sent."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from werkzeug.wrappers import Response

from models import Case, User
from monitor import followup
from monitor.casefile import load_case
from monitor.web.auth import current_user, requires
from monitor.web.common import audit, db
from monitor.web.forms import AssignForm, LetterForm, ReferencesForm, StepForm
from monitor.workflow import LEADERS

bp = Blueprint("followup", __name__)
LEAD = tuple(sorted(LEADERS))


def _case(reference: str) -> Case:
    case = load_case(db(), reference)
    if case is None:
        abort(404)
    return case


def _done(case: Case, message: str) -> Response:
    db().commit()
    flash(f"{case.reference}: {message}")
    return redirect(url_for("cases.show", reference=case.reference))


@bp.post("/cases/<reference>/assign")
@requires(*LEAD)
def assign(reference: str) -> Response:
    form = AssignForm()
    if not form.validate():
        abort(400, "Choose who should have the case.")
    case = _case(reference)
    person = db().get(User, int(form.assignee.data)) if form.assignee.data else None
    if form.assignee.data and person is None:
        abort(400, "There is no such login.")
    try:
        change = followup.assign(db(), case, person, current_user().email)
    except followup.FollowUpError as exc:
        abort(400, str(exc))
    audit("case_assign", "case", case.reference, change.detail)
    return _done(case, f"{change.detail}.")


@bp.post("/cases/<reference>/references")
@requires(*LEAD)
def references(reference: str) -> Response:
    form = ReferencesForm()
    if not form.validate():
        abort(400, "A reference is at most 200 characters; choose an outcome from the list.")
    case = _case(reference)
    changes = followup.set_references(
        db(), case, current_user().email, form.platform_reference.data or "",
        form.police_reference.data or "", form.outcome.data or "",
    )  # fmt: skip
    for change in changes:
        audit(f"case_{change.action}", "case", case.reference, change.detail)
    return _done(
        case, "; ".join(c.detail for c in changes) + "." if changes else "nothing changed."
    )


@bp.post("/cases/<reference>/steps")
@requires(*LEAD)
def step(reference: str) -> Response:
    form = StepForm()
    if not form.validate():
        abort(400, "Choose a step of the procedure.")
    case = _case(reference)
    change = followup.mark_step(
        db(), case, form.step.data or "", form.done.data == "1", current_user().email
    )
    if change is None:
        return _done(case, "nothing changed.")
    audit(f"case_{change.action}", "case", case.reference, change.detail)
    return _done(case, f"{change.detail}.")


@bp.post("/cases/<reference>/letters")
@requires(*LEAD)
def letter(reference: str) -> Response:
    """The text in the box, exactly as the user sends it, kept in the case file."""
    form = LetterForm()
    if not form.validate():
        abort(400, "A letter to keep needs its text (at most 20,000 characters).")
    case = _case(reference)
    kept = followup.keep_letter(
        db(), case, form.kind.data or "", form.title.data or "", form.body.data or "",
        current_user().email,
    )  # fmt: skip
    audit("case_letter_sent", "case", case.reference, kept.title)
    return _done(case, f"{kept.title}: saved to the case file as sent.")
