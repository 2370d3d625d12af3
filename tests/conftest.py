"""Shared fixtures: settings for a small school, and databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import Settings, load_settings
from models import Base
from monitor.app import App

PG_ADMIN_URL = os.environ.get(
    "SCHOOLWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SCHOOL_TOML = """
[school]
name = "Roose Community Primary School"
aliases = ["Roose Primary", "Roose School"]
location = "Barrow-in-Furness"

[people]
pupils = "pupils.csv"
staff = "staff.csv"

[alerts]
recipients = ["head@school.example"]
sender = "schoolwatch@school.example"

[[sources]]
name = "imported"
type = "jsonl"
every = "15m"
path = "posts.jsonl"
"""
PUPILS = "first_name,last_name,year_group,aliases\nJayden,Nowak,4,JJ\nAmelia,Hartley,6,\n"
STAFF = (
    "title,first_name,last_name,role,aliases\n"
    "Mrs,Sarah,Whitfield,Headteacher,Mrs W\nMr,David,Okafor,Year 4 teacher,\n"
)


@pytest.fixture
def school_dir(tmp_path: Path) -> Path:
    """A config folder with a TOML file, two roster CSVs and an empty posts file."""
    folder = tmp_path / "school"
    folder.mkdir()
    (folder / "school.toml").write_text(SCHOOL_TOML)
    (folder / "pupils.csv").write_text(PUPILS)
    (folder / "staff.csv").write_text(STAFF)
    (folder / "posts.jsonl").write_text("")
    return folder


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of its own on the local PostgreSQL, dropped at the end of the run."""
    name = f"sw_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the suite must not pass silently without PostgreSQL
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}", pytrace=False)
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'schoolwatch.db'}"
    url: str = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    with engine.begin() as connection:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        exists = connection.execute(text("SELECT to_regclass('public.posts')")).scalar()
        if exists:
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def environ(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {
        "SCHOOLWATCH_DATA_DIR": str(tmp_path / "data"),
        "SCHOOLWATCH_DATABASE_URL": database_url,
    }


@pytest.fixture
def settings(school_dir: Path, environ: dict[str, str]) -> Settings:
    return load_settings(school_dir / "school.toml", environ)


@pytest.fixture
def app(settings: Settings) -> Iterator[App]:
    application = App.open(settings)
    yield application
    application.close()
