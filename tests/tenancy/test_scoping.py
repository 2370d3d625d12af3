"""models/tenancy.py: every ORM statement of a school's session sees and writes only that
school's rows; a session with no school fails; only the named cross-school session sees all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from models import Flag, Post, Source, User, create_db_engine, upgrade_schema, utcnow
from models.tenancy import (
    TenancyError,
    cross_school_sessions,
    global_sessions,
    school_sessions,
)
from monitor.app import school_row


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = create_db_engine(database_url)
    upgrade_schema(made)
    yield made
    made.dispose()


def _post(external_id: str, text: str) -> Post:
    return Post(platform="x", external_id=external_id, text=text, content_sha256="h",
                fetched_at=utcnow())  # fmt: skip


@pytest.fixture
def schools(engine: Engine) -> dict[str, sessionmaker[Session]]:
    """Two schools, each with a source "feed" and post "1" (same names: unique per school)."""
    made = {slug: school_sessions(engine, school_row(engine, slug, slug)) for slug in "ab"}
    for slug, sessions in made.items():
        with sessions.begin() as session:
            session.add(Source(name="feed", type="rss"))
            post = _post("1", f"post of {slug}")
            post.flags.append(Flag(category="pupil", score=0.9, severity="high", reason="r",
                                   stage="rules", model_version="v"))  # fmt: skip
            session.add(post)
            session.add(User(email=f"head@{slug}.example", password_hash="h", role="dsl"))
    return made


def test_queries_joins_gets_and_relationships_see_one_school(
    schools: dict[str, sessionmaker[Session]],
) -> None:
    with schools["b"]() as session:
        b_post = session.scalars(select(Post)).one()
        b_flag = b_post.flags[0].id
    with schools["a"]() as session:
        assert session.scalars(select(Post.text)).all() == ["post of a"]
        assert session.scalar(select(func.count()).select_from(Flag)) == 1
        joined = session.execute(select(Flag.id, Post.text).join(Post)).all()
        assert [text for _id, text in joined] == ["post of a"]
        assert session.get(Post, b_post.id) is None and session.get(Flag, b_flag) is None
        inner = select(Flag.post_id).where(Flag.category == "pupil").scalar_subquery()
        assert session.scalars(select(Post.text).where(Post.id.in_(inner))).all() == ["post of a"]
        named = select(Flag.id).where(Flag.post_id == b_post.id).exists()
        assert session.scalar(select(func.count()).where(named)) == 0
        assert session.scalars(select(User.email)).all() == ["head@a.example"]


def test_bulk_update_and_delete_touch_one_school(
    schools: dict[str, sessionmaker[Session]], engine: Engine
) -> None:
    with schools["a"].begin() as session:
        assert session.execute(update(Source).values(type="x")).rowcount == 1
        assert session.execute(delete(Flag)).rowcount == 1
    with cross_school_sessions(engine)() as session:
        kept = session.execute(select(Source.school_id, Source.type).order_by(Source.school_id))
        assert [t for _school, t in kept] == ["x", "rss"]
        assert session.scalar(select(func.count(Flag.id))) == 1


def test_rows_are_stamped_and_another_schools_rows_refused(
    schools: dict[str, sessionmaker[Session]],
) -> None:
    with schools["b"]() as session:
        b_school = session.scalars(select(Post.school_id)).one()
    with schools["a"]() as session:
        session.add(_post("2", "new"))
        session.flush()
        assert session.scalars(select(Post.school_id).where(Post.external_id == "2")).one() != (
            b_school
        )
        stray = _post("3", "smuggled")
        stray.school_id = b_school
        session.add(stray)
        with pytest.raises(TenancyError):
            session.flush()
        session.rollback()
        mine = session.scalars(select(Post)).first()
        assert mine is not None
        mine.school_id = b_school
        with pytest.raises(TenancyError):
            session.flush()


def test_a_session_with_no_school_fails_closed(
    schools: dict[str, sessionmaker[Session]], engine: Engine
) -> None:
    with global_sessions(engine)() as session:
        with pytest.raises(TenancyError):
            session.scalars(select(Post)).all()
        with pytest.raises(TenancyError):
            session.execute(select(func.count()).select_from(Flag)).all()
        session.add(Source(name="orphan", type="rss"))
        with pytest.raises(TenancyError):
            session.flush()
        session.rollback()
        assert len(session.scalars(select(User)).all()) == 2  # users are the deployment's
    with cross_school_sessions(engine)() as session:
        assert sorted(session.scalars(select(Post.text))) == ["post of a", "post of b"]


def test_a_role_changed_in_one_school_is_that_schools_alone(
    schools: dict[str, sessionmaker[Session]], engine: Engine
) -> None:
    from models import Membership

    with schools["a"]() as session:
        user_id = session.scalars(select(User.id)).one()
    b_school = school_row(engine, "b", "b")
    with schools["b"].begin() as session:
        session.add(Membership(user_id=user_id, role="staff"))
    with schools["b"].begin() as session:
        assert session.scalars(select(User.role).where(User.email == "head@a.example")).all() == [
            "dsl"  # the column: a user's own row is read as it is
        ]
        member = session.scalars(select(User).where(User.email == "head@a.example")).one()
        assert member.role == "staff"  # loaded: the role in school b
        member.role = "headteacher"
    with cross_school_sessions(engine)() as session:
        query = (
            select(Membership.school_id, Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(User.email == "head@a.example")
        )
        roles = {school: role for school, role in session.execute(query)}
        own = session.scalars(select(User.role).where(User.email == "head@a.example")).one()
    assert roles[b_school] == "headteacher" and own == "dsl"
