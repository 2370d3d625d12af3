"""The database: SQLAlchemy 2 tables and Alembic migrations. Knows nothing of the monitor."""

from __future__ import annotations

from models.db import create_db_engine, make_session_factory, upgrade_schema
from models.shared import SharedCursor
from models.tables import (
    AuditEvent,
    Base,
    Case,
    CaseEvent,
    CaseLetter,
    CaseSequence,
    CaseStep,
    Decision,
    EvidenceImage,
    Flag,
    LoginAttempt,
    Membership,
    OutboxEmail,
    Post,
    School,
    SchoolRule,
    Source,
    Tenant,
    ThresholdOverride,
    TrainingLabel,
    User,
    WebSession,
    utcnow,
)
from models.usage import ApiUsage

__all__ = [
    "ApiUsage",
    "AuditEvent",
    "Base",
    "Case",
    "CaseEvent",
    "CaseLetter",
    "CaseSequence",
    "CaseStep",
    "EvidenceImage",
    "Decision",
    "Flag",
    "LoginAttempt",
    "Membership",
    "OutboxEmail",
    "Post",
    "School",
    "SchoolRule",
    "SharedCursor",
    "Source",
    "Tenant",
    "ThresholdOverride",
    "TrainingLabel",
    "User",
    "WebSession",
    "create_db_engine",
    "make_session_factory",
    "upgrade_schema",
    "utcnow",
]
