"""Logins: server-side sessions with idle and absolute timeouts, throttling, role checks."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, session
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from models import LoginAttempt, Membership, User, WebSession, utcnow
from models.tenancy import ALL_USERS
from monitor.web.users import upgrade_hash, verify_password

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
THROTTLE_WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
_TOUCH_EVERY = timedelta(seconds=30)

F = TypeVar("F", bound=Callable[..., Any])


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def start_session(db: Session, user: User, address: str) -> None:
    """A fresh session for ``user``: the old cookie (and its CSRF token) is thrown away."""
    old = session.get("sid")
    if isinstance(old, str):
        db.execute(delete(WebSession).where(WebSession.id == _digest(old)))
    session.clear()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.execute(
        delete(WebSession).where(
            (WebSession.last_seen_at < now - IDLE) | (WebSession.created_at < now - ABSOLUTE)
        )
    )
    db.add(WebSession(id=_digest(token), user_id=user.id, created_at=now, last_seen_at=now,
                      address=address[:64]))  # fmt: skip
    session["sid"] = token


def end_session(db: Session) -> None:
    token = session.get("sid")
    if isinstance(token, str):
        db.execute(delete(WebSession).where(WebSession.id == _digest(token)))
    session.clear()


def load_user(db: Session, now: datetime | None = None) -> tuple[User | None, bool]:
    """The logged-in user, and whether a session just ran out (to say so on the login page)."""
    token = session.get("sid")
    if not isinstance(token, str):
        return None, False
    now = now or utcnow()
    row = db.get(WebSession, _digest(token))
    # Any user of the deployment: whether they may enter this school is checked after.
    user = (
        db.get(User, row.user_id, execution_options={ALL_USERS: True}) if row is not None else None
    )
    if row is None or user is None or not user.active:
        session.pop("sid", None)
        return None, row is not None
    if now - row.last_seen_at > IDLE or now - row.created_at > ABSOLUTE:
        db.delete(row)
        db.commit()
        session.pop("sid", None)
        return None, True
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
        db.commit()
    return user, False


def reserve_attempt(db: Session, email: str, address: str) -> LoginAttempt | None:
    """Count this account's recent failures and write this try down as one, under a lock that
    makes concurrent tries take turns, then commit *before* the password is checked. However
    many tries arrive at once, exactly ``ACCOUNT_FAILURES`` of them get a password checked in
    the window. None: throttled."""
    db.commit()  # start afresh: the lock must be the transaction's first act
    now = utcnow()
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"login:{email}"})
    # On SQLite this write takes the database's write lock, which serialises the tries.
    db.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - timedelta(days=1)))
    failures = select(func.count(LoginAttempt.id)).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.created_at >= now - THROTTLE_WINDOW
    )
    by_account = db.scalar(failures.where(LoginAttempt.email == email[:320])) or 0
    by_address = db.scalar(failures.where(LoginAttempt.address == address[:64])) or 0
    if by_account >= ACCOUNT_FAILURES or by_address >= ADDRESS_FAILURES:
        db.commit()
        return None
    attempt = LoginAttempt(email=email[:320], address=address[:64], succeeded=False,
                           created_at=now)  # fmt: skip
    db.add(attempt)
    db.commit()
    return attempt


def attempt_succeeded(db: Session, attempt: LoginAttempt) -> None:
    """A correct password clears the account's earlier failures, this try's included."""
    attempt.succeeded = True
    db.execute(
        delete(LoginAttempt).where(
            LoginAttempt.email == attempt.email,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.id != attempt.id,
        )
    )


def enter_school(db: Session, user: User) -> bool:
    """Whether ``user`` is a member of the session's school; if so, their role while in it is
    the membership's (set on the loaded row only: nothing is written)."""
    membership = db.get(Membership, (user.id, db.info["school_id"]))
    if membership is None:
        return False
    set_committed_value(user, "role", membership.role)
    return True


def current_user() -> User:
    user: User | None = g.get("user")
    if user is None:
        abort(401)
    return user


def requires(*roles: str) -> Callable[[F], F]:
    """Refuse (403) anyone whose role is not in ``roles``; checked on the server every time."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user().role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


Audit = Callable[..., None]


def check_password(
    db: Session, email: str, password: str, where: str, audit: Audit
) -> tuple[User | None, LoginAttempt]:
    """A login's first half, the same for a school's page and the trust's: throttled (429), the
    login looked up across the deployment's users, the password verified. The active user whose
    password matches, or None with the failure audited and committed."""
    attempt = reserve_attempt(db, email, where)
    if attempt is None:
        audit("login_throttled", "user", email, actor=email)
        db.commit()
        abort(429, "Too many failed attempts. Wait 15 minutes, then try again.")
    user = db.scalar(select(User).where(User.email == email).execution_options(**{ALL_USERS: True}))
    stored = user.password_hash if user is not None else None
    if verify_password(stored, password) and user is not None and user.active:
        return user, attempt
    audit("login_failed", "user", email, actor=email)
    db.commit()
    return None, attempt


def complete_login(
    db: Session, user: User, attempt: LoginAttempt, password: str, where: str, audit: Audit
) -> None:
    """A login's second half: the hash brought up to date, the attempt cleared, the session
    started, audited and committed."""
    upgrade_hash(user, password)
    attempt_succeeded(db, attempt)
    start_session(db, user, where)
    audit("login", "user", user.id, actor=user.email)
    db.commit()
