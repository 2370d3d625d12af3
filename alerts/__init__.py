"""Alerts: render case e-mails, drafts, letters and evidence packs (pure), and send (the edge)."""

from __future__ import annotations

from alerts.facts import CaseFacts, ClockStep, Draft, EventFacts, FlagFacts, PostFacts, Span
from alerts.render import CaseMail, RenderedEmail, render_case, render_case_email, render_digest
from alerts.senders import (
    AppriseSender,
    OutgoingEmail,
    Sender,
    SendError,
    sender_from_settings,
)

__all__ = [
    "AppriseSender",
    "CaseFacts",
    "CaseMail",
    "ClockStep",
    "Draft",
    "EventFacts",
    "FlagFacts",
    "OutgoingEmail",
    "PostFacts",
    "RenderedEmail",
    "SendError",
    "Sender",
    "Span",
    "render_case",
    "render_case_email",
    "render_digest",
    "sender_from_settings",
]
