"""The review page's forms; Flask-WTF adds and checks a CSRF token on every one.

Choices are plain strings checked with AnyOf; the templates draw the <select> elements.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import EmailField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import URL, AnyOf, DataRequired, Length, Optional, Regexp

from config.settings import CATEGORIES
from connectors.ocr import MAX_BYTES
from monitor.followup import OUTCOMES, STEPS
from monitor.workflow import ROLES

DISMISS_REASONS: tuple[tuple[str, str], ...] = (
    ("not_our_school", "Not about our school"),
    ("not_inappropriate", "Not inappropriate"),
    ("wrong_category", "Wrong category"),
)
SEEN_ON: tuple[tuple[str, str], ...] = (
    ("tiktok", "TikTok"),
    ("snapchat", "Snapchat"),
    ("facebook", "Facebook group"),
    ("instagram", "Instagram"),
    ("whatsapp", "WhatsApp (forwarded)"),
    ("other", "Somewhere else"),
)


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    next = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token and where to go back to."""

    next = HiddenField()


class DismissForm(ActionForm):
    reason = StringField(validators=[AnyOf([value for value, _ in DISMISS_REASONS])])


class BulkForm(ActionForm):
    """Confirm or dismiss the open flags of the chosen posts (``post``, repeated)."""

    action = StringField(validators=[AnyOf(["confirm", "dismiss"])])
    reason = StringField(validators=[Optional(), AnyOf([value for value, _ in DISMISS_REASONS])])
    category = StringField(validators=[Optional(), AnyOf(CATEGORIES)])


class CategoryForm(ActionForm):
    category = StringField(validators=[AnyOf(CATEGORIES)])


class NoteForm(ActionForm):
    note = TextAreaField("Note", validators=[DataRequired(), Length(max=4000)])


class MoveForm(ActionForm):
    status = HiddenField(validators=[DataRequired()])
    note = StringField("Note (optional)", validators=[Optional(), Length(max=1000)])


class AssignForm(ActionForm):
    assignee = StringField(validators=[Optional(), Regexp(r"^[0-9]{1,12}$")])


class ReferencesForm(ActionForm):
    platform_reference = StringField(validators=[Optional(), Length(max=200)])
    police_reference = StringField(validators=[Optional(), Length(max=200)])
    outcome = StringField(validators=[AnyOf(["", *(value for value, _ in OUTCOMES)])])


class StepForm(ActionForm):
    step = HiddenField(validators=[AnyOf([value for value, _ in STEPS])])
    done = HiddenField(validators=[AnyOf(["1", "0"])])


class LetterForm(ActionForm):
    kind = HiddenField(validators=[DataRequired(), Regexp(r"^[a-z_]{1,40}$")])
    title = HiddenField(validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(validators=[DataRequired(), Length(max=20000)])


MAX_SCREENSHOTS = 4
# The intake form's request limit: its screenshots plus the rest of the form.
UPLOAD_LIMIT = MAX_SCREENSHOTS * MAX_BYTES + 256 * 1024


class IntakeForm(FlaskForm):
    """An address and the text, or screenshots (whose text is read by OCR), or both: the view
    checks that one of them is there and reads the images."""

    url = StringField(
        "Address of the post",
        validators=[Optional(), URL(require_tld=True), Length(max=2000)],
    )
    seen_on = StringField("Where it was seen", validators=[AnyOf([v for v, _ in SEEN_ON])])
    text = TextAreaField("Text of the post", validators=[Optional(), Length(max=10000)])
    screenshots = MultipleFileField("Screenshots (PNG or JPEG)")
    # Staff judgement over the classifier's: empty lets Schoolwatch decide alone.
    raise_as = StringField("Raise a case for", validators=[Optional(), AnyOf(CATEGORIES)])


class UserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=320)])
    role = StringField("Role", validators=[AnyOf(ROLES)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])


class RoleForm(FlaskForm):
    role = StringField("Role", validators=[AnyOf(ROLES)])


class PasswordResetForm(FlaskForm):
    password = PasswordField("New password", validators=[Length(max=1000)])


class AccountForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=1000)])
    new = PasswordField("New password", validators=[DataRequired(), Length(max=1000)])
