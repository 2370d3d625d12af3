"""Review-page accounts: argon2id hashes, the password rule, creating and disabling users."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Membership, User, WebSession, utcnow
from models.tenancy import ALL_USERS, school_of
from monitor.workflow import ROLES

if TYPE_CHECKING:
    from monitor.deployment import Deployment

TRUST = "trust"  # a deployment-wide role: the trust page, no school's cases by itself

MIN_LENGTH = 12
HASHER = PasswordHasher()  # argon2id with the library's recommended costs (RFC 9106 low-memory)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_dummy: dict[int, str] = {}


class UserError(ValueError):
    """A user that cannot be created as asked: the message says why."""


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt")
    return frozenset(
        line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines() if line
    )


def password_problem(password: str, email: str = "") -> str | None:
    """Why ``password`` is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"the password must be at least {MIN_LENGTH} characters long"
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 4:
        return "that password is too common or too simple; choose a longer phrase"
    local = email.split("@", 1)[0].lower()
    if local and len(local) >= 4 and local in lowered:
        return "the password must not contain the e-mail address"
    return None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Check ``password``; with no stored hash (unknown e-mail) it costs the same, then fails."""
    if stored is None:
        if id(HASHER) not in _dummy:
            _dummy[id(HASHER)] = HASHER.hash("schoolwatch-dummy-password")
        HASHER.verify(_dummy[id(HASHER)], "schoolwatch-dummy-password")
        return False
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def upgrade_hash(user: User, password: str) -> None:
    """After a successful login: re-hash when the stored hash used older, weaker costs."""
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    session: Session, email: str, role: str, password: str, roles: tuple[str, ...] = ROLES
) -> User:
    """Add a login (a member of the session's school, if it has one); raises UserError for a
    bad address, role or password, or a taken address."""
    email = normalise_email(email)
    if not _EMAIL.match(email) or len(email) > 320:
        raise UserError(f"{email!r} is not an e-mail address")
    if role not in roles:
        raise UserError(f"role {role!r} is not one of {', '.join(roles)}")
    problem = password_problem(password, email)
    if problem:
        raise UserError(problem)
    taken = select(func.count(User.id)).where(User.email == email)
    if session.scalar(taken.execution_options(**{ALL_USERS: True})):
        raise UserError(f"a user {email} already exists")
    user = User(
        email=email, password_hash=hash_password(password), role=role, active=True,
        created_at=utcnow(),
    )  # fmt: skip
    session.add(user)
    session.flush()
    return user


def add_member(session: Session, email: str, role: str, password: str) -> str:
    """A login for the session's school: a new user, or a login of another school of the
    deployment made a member of this one too (keeping its password). Says what was done."""
    email = normalise_email(email)
    existing = session.scalar(
        select(User).where(User.email == email).execution_options(**{ALL_USERS: True})
    )
    if existing is None or role not in ROLES:
        user = create_user(session, email, role, password)
        return f"{user.email} as {user.role}"
    if session.get(Membership, (existing.id, school_of(session))) is not None:
        raise UserError(f"a user {email} already exists")
    session.add(Membership(user_id=existing.id, role=role))
    return f"{email} as {role} (an existing login, now a member of this school too)"


def add_trust_user(deployment: Deployment, email: str, password: str) -> str:
    """A login of the trust: it sees the trust page; a school's cases only once added to that
    school with ``users add --school``."""
    with deployment.aggregates().begin() as session:
        user = create_user(session, email, TRUST, password, roles=(TRUST,))
        session.add(AuditEvent(actor="cli", action="add_user", object_type="user",
                               object_id=str(user.id), detail=f"{user.email} as {TRUST}",
                               created_at=utcnow()))  # fmt: skip
        return f"{user.email} as {TRUST}"


def set_password(session: Session, user: User, password: str) -> None:
    problem = password_problem(password, user.email)
    if problem:
        raise UserError(problem)
    user.password_hash = hash_password(password)
    end_sessions(session, user.id)


def set_active(session: Session, user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_sessions(session, user.id)


def end_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))
