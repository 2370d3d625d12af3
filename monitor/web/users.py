"""Review-page accounts: argon2id hashes, the password rule, creating and disabling users."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models import User, WebSession, utcnow
from monitor.workflow import ROLES

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


def create_user(session: Session, email: str, role: str, password: str) -> User:
    """Add a login; raises UserError for a bad address, role or password, or a taken address."""
    email = normalise_email(email)
    if not _EMAIL.match(email) or len(email) > 320:
        raise UserError(f"{email!r} is not an e-mail address")
    if role not in ROLES:
        raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
    problem = password_problem(password, email)
    if problem:
        raise UserError(problem)
    if session.scalar(select(func.count(User.id)).where(User.email == email)):
        raise UserError(f"a user {email} already exists")
    user = User(
        email=email, password_hash=hash_password(password), role=role, active=True,
        created_at=utcnow(),
    )  # fmt: skip
    session.add(user)
    session.flush()
    return user


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
