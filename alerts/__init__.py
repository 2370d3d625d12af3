"""Alerts: render case e-mails and drafts (pure), and send them (at the edge)."""

from __future__ import annotations

from alerts.render import CaseMail, RenderedEmail, Span, render_case_email
from alerts.senders import OutgoingEmail, Sender, SendError, sender_from_settings

__all__ = [
    "CaseMail",
    "OutgoingEmail",
    "RenderedEmail",
    "SendError",
    "Sender",
    "Span",
    "render_case_email",
    "sender_from_settings",
]
