"""Which school a session may see: enforced here, once, for every query and every write.

A session made by :func:`school_sessions` carries its school in ``Session.info``; every ORM
SELECT, UPDATE and DELETE it runs gets ``school_id = <its school>`` on every tenant table it
touches (joins, relationships and aliases included), and every row it writes is stamped with
that school or refused. A session with no school that touches a tenant table fails, unless it
was opened through :func:`cross_school_sessions` for deployment-wide aggregates.

Users are the deployment's, not a school's: a school's session sees only the users who are
members of it (``ALL_USERS`` lifts that for the login check), and a user added through it
becomes a member with the user's role.

Core statements sent straight to a connection (``session.connection().execute``) skip the ORM
events: the few that write tenant rows set ``school_id`` themselves from :func:`school_of`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Table, event, inspect, select
from sqlalchemy.orm import (
    ORMExecuteState,
    Session,
    UOWTransaction,
    sessionmaker,
    with_loader_criteria,
)
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql import util as sql_util

from models.tables import AuditEvent, Base, Membership, Tenant, User

SCHOOL = "school_id"
CROSS = "cross_school"
ALL_USERS = "all_users"  # an execution option: this school's session may read any user
TENANT_TABLES = frozenset(
    mapper.local_table.name  # type: ignore[attr-defined]
    for mapper in Base.registry.mappers
    if issubclass(mapper.class_, Tenant)
)


class TenancyError(RuntimeError):
    """A session touched a school's rows without saying which school: a programming error."""


class TenantSession(Session):
    """A session whose ``info`` says which school it belongs to (see the module docstring)."""


def school_sessions(engine: Engine, school_id: int) -> sessionmaker[Session]:
    """Sessions that see and write only ``school_id``'s rows."""
    return sessionmaker(
        engine, class_=TenantSession, expire_on_commit=False, info={SCHOOL: school_id}
    )


def cross_school_sessions(engine: Engine) -> sessionmaker[Session]:
    """The one way to read every school's rows at once: the trust page and deployment jobs."""
    return sessionmaker(engine, class_=TenantSession, expire_on_commit=False, info={CROSS: True})


def global_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions for the deployment's own tables (schools, users, logins); a tenant row fails."""
    return sessionmaker(engine, class_=TenantSession, expire_on_commit=False)


def school_of(session: Session) -> int:
    """The session's school; a session without one may not write a school's rows."""
    school_id = session.info.get(SCHOOL)
    if school_id is None:
        raise TenancyError("this session belongs to no school; open it through App.sessions")
    return int(school_id)


def _touches_tenant_table(statement: Any) -> bool:
    tables = sql_util.find_tables(
        statement, check_columns=True, include_aliases=True, include_joins=True,
        include_selects=True, include_crud=True,
    )  # fmt: skip
    return any(isinstance(t, Table) and t.name in TENANT_TABLES for t in tables)


@event.listens_for(TenantSession, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    session = state.session
    school_id = session.info.get(SCHOOL)
    if school_id is None:
        if session.info.get(CROSS) or not _touches_tenant_table(state.statement):
            return
        raise TenancyError("a query on a school's rows from a session with no school")
    if state.is_select or state.is_update or state.is_delete:
        options = [
            with_loader_criteria(
                Tenant, lambda cls: cls.school_id == school_id, include_aliases=True
            )
        ]
        if not state.execution_options.get(ALL_USERS):
            members = select(Membership.user_id).where(Membership.school_id == school_id)
            options.append(with_loader_criteria(User, User.id.in_(members), include_aliases=True))
        state.statement = state.statement.options(*options)
    elif state.is_insert:
        table = getattr(state.statement, "table", None)
        if isinstance(table, Table) and table.name in TENANT_TABLES:
            state.statement = state.statement.values(school_id=school_id)  # type: ignore[attr-defined]


@event.listens_for(User, "load")
def _role_in_school(user: User, context: Any) -> None:
    """In a school's session a user's ``role`` is their role in that school (nothing is written:
    the loaded value is replaced, not changed)."""
    session = context.session
    school_id = session.info.get(SCHOOL) if session is not None else None
    if school_id is None:
        return
    with session.no_autoflush:
        role = session.execute(
            select(Membership.role).where(
                Membership.user_id == user.id, Membership.school_id == school_id
            )
        ).scalar()
    if role is not None:
        set_committed_value(user, "role", role)


@event.listens_for(TenantSession, "before_flush")
def _stamp_rows(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    school_id = session.info.get(SCHOOL)
    for row in session.new:
        if isinstance(row, User) and school_id is not None:
            session.add(Membership(user=row, school_id=school_id, role=row.role))
        if not isinstance(row, Tenant):
            continue
        if school_id is None:
            if session.info.get(CROSS) and (
                row.school_id is not None or isinstance(row, AuditEvent)
            ):
                continue
            raise TenancyError(f"a new {type(row).__name__} from a session with no school")
        if row.school_id is None:
            row.school_id = school_id
        elif row.school_id != school_id:
            raise TenancyError(f"a {type(row).__name__} of another school in this session")
    for row in session.dirty:
        if isinstance(row, Tenant) and school_id is not None and row.school_id != school_id:
            raise TenancyError(f"a {type(row).__name__} moved to another school")
        if (
            isinstance(row, User)
            and school_id is not None
            and inspect(row).attrs.role.history.has_changes()
        ):
            # A role given in a school is the role in that school: the membership changes, the
            # user's own row (a trust lead's "trust", another school's role) does not.
            with session.no_autoflush:
                membership = session.get(Membership, (row.id, school_id))
            if membership is not None:
                membership.role = row.role
                set_committed_value(row, "role", row.role)
