"""The tables: sources, posts, flags, cases, the outbox, users and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A time stored in UTC and always read back aware: SQLite drops the zone that PostgreSQL keeps,
    so without this every reader would have to patch naive values itself."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class School(Base):
    """One school of the deployment; its settings live in its own TOML file (slug = file stem)."""

    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))


class Tenant:
    """A row that belongs to one school. ``models.tenancy`` scopes every query on such a table
    to the session's school and stamps new rows with it."""

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)


class Source(Tenant, Base):
    """A configured source, its resume cursor and the outcome of its last cycle."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("school_id", "name", name="uq_sources_school_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(40))
    cursor: Mapped[str | None] = mapped_column(Text)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_outcome: Mapped[str | None] = mapped_column(String(20))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_fetched: Mapped[int] = mapped_column(Integer, default=0)
    last_skipped: Mapped[int] = mapped_column(Integer, default=0)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    posts_total: Mapped[int] = mapped_column(Integer, default=0)
    rate_remaining: Mapped[int | None] = mapped_column(Integer)


class Case(Tenant, Base):
    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("school_id", "reference", name="uq_cases_school_reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(30), default="new")
    severity: Mapped[str] = mapped_column(String(10))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The state (severity, categories, posts) the Headteacher was last e-mailed about.
    notified_state: Mapped[str | None] = mapped_column(String(200))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The platform's own reference for the school's report, and the police's crime reference.
    platform_reference: Mapped[str | None] = mapped_column(String(200))
    police_reference: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(String(30))

    assignee: Mapped[User | None] = relationship()
    letters: Mapped[list[CaseLetter]] = relationship(
        order_by="CaseLetter.id", cascade="all, delete-orphan", passive_deletes=True
    )
    posts: Mapped[list[Post]] = relationship(back_populates="case", order_by="Post.id")
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )


class CaseStep(Tenant, Base):
    """A step of the policy's procedure done on a case; un-marking it deletes the row."""

    __tablename__ = "case_steps"
    __table_args__ = (UniqueConstraint("case_id", "step", name="uq_case_steps_case_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(320))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseLetter(Tenant, Base):
    """A letter or draft as it was sent, kept in the case file with who sent it and when."""

    __tablename__ = "case_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(320))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CaseSequence(Tenant, Base):
    """The last case number handed out per year, for references like SW-2026-0001."""

    __tablename__ = "case_sequences"

    # Each school numbers its own cases.
    school_id: Mapped[int] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Post(Tenant, Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("school_id", "platform", "external_id", name="uq_posts_platform_id"),
        # The queue's order, newest first: a page is read off this index, not sorted.
        Index(
            "ix_posts_newest",
            "school_id",
            text("coalesce(created_at, fetched_at) DESC"),
            text("id DESC"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(200))
    source_name: Mapped[str | None] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    raw: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))
    author_key: Mapped[str | None] = mapped_column(String(300), index=True)
    thread_key: Mapped[str | None] = mapped_column(String(300), index=True)
    relevant: Mapped[bool | None] = mapped_column(Boolean)
    mentions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    classified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why the classifier could not read this post; it is kept, listed, and holds nothing back.
    quarantine: Mapped[str | None] = mapped_column(Text)
    # Found by the trust's shared search but about no member school it could name: the safety
    # categories any member's check raised on it ([] for none). NULL for every other post.
    unclaimed: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)

    case: Mapped[Case | None] = relationship(back_populates="posts")
    flags: Mapped[list[Flag]] = relationship(
        back_populates="post", order_by="Flag.id", cascade="all, delete-orphan"
    )
    images: Mapped[list[EvidenceImage]] = relationship(
        back_populates="post", order_by="EvidenceImage.id", cascade="all, delete-orphan",
        passive_deletes=True,
    )  # fmt: skip


class EvidenceImage(Tenant, Base):
    """A screenshot submitted with a post (intake page, reporting mailbox), kept as evidence.

    Stored in the database, not on disk: it is written in the post's transaction, backed up with
    it, and deleted with it by retention."""

    __tablename__ = "evidence_images"
    __table_args__ = (UniqueConstraint("post_id", "sha256", name="uq_evidence_images_post_sha"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    ocr_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    post: Mapped[Post] = relationship(back_populates="images")


class Flag(Tenant, Base):
    __tablename__ = "flags"
    # The queue's counts (urgent first) and its per-post probes read only this index.
    __table_args__ = (Index("ix_flags_status_severity", "status", "severity", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    score: Mapped[float] = mapped_column(Float)
    severity: Mapped[str] = mapped_column(String(10))
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(40))
    model_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    post: Mapped[Post] = relationship(back_populates="flags")


class CaseEvent(Tenant, Base):
    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")


class OutboxEmail(Tenant, Base):
    """An e-mail waiting to be sent, sent, or failed; ``dedup_key`` stops a second copy."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("school_id", "dedup_key", name="uq_outbox_school_dedup"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(200))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    sender: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_to: Mapped[str | None] = mapped_column(Text)
    # The recipients it has reached: a retry goes only to the others, so nobody gets it twice.
    delivered: Mapped[list[str] | None] = mapped_column(JSON)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Membership(Tenant, Base):
    """A user's role in one school: a login enters only the schools it is a member of. The role
    ``trust`` sees the trust page; it sees a school's cases only with a membership there."""

    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    school_id: Mapped[int] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship()


class AuditEvent(Tenant, Base):
    __tablename__ = "audit_events"

    # No school: the deployment's own events (logins at the trust page, its views).
    school_id: Mapped[int | None] = mapped_column(  # type: ignore[assignment]
        ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class WebSession(Base):
    """A review-page login, kept server-side so logout and disabling a user really end it."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the cookie token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    address: Mapped[str | None] = mapped_column(String(64))


class LoginAttempt(Base):
    """One try at the login form; failures throttle the account and the address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class TrainingLabel(Tenant, Base):
    """A reviewer's decision on a post, kept as the categories it should carry, for training."""

    __tablename__ = "training_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("flags.id", ondelete="SET NULL"))
    decision: Mapped[str] = mapped_column(String(20))
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SchoolRule(Tenant, Base):
    """A "not a concern here" rule made from a dismissal: posts with this phrase raise no flag of
    its categories (never threat, racist or selfharm) until it expires or is removed."""

    __tablename__ = "school_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(200))
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(320))
    source_flag_id: Mapped[int | None] = mapped_column(ForeignKey("flags.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    removed_by: Mapped[str | None] = mapped_column(String(320))


class ThresholdOverride(Tenant, Base):
    """A threshold the Headteacher applied from the calibration page; the newest row per category
    is in force and beats the config file's ``[thresholds]``."""

    __tablename__ = "threshold_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    value: Mapped[float] = mapped_column(Float)
    previous: Mapped[float | None] = mapped_column(Float)
    actor: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Decision(Tenant, Base):
    """A decision on a flag or a case move, with the state before and after it, so that it can be
    undone until midnight in the school's time zone."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # confirm | dismiss | recategorise | move
    actor: Mapped[str] = mapped_column(String(320))
    flag_id: Mapped[int | None] = mapped_column(
        ForeignKey("flags.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undone_by: Mapped[str | None] = mapped_column(String(320))
