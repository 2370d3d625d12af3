"""Engines, sessions and schema upgrades (Alembic, run on start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from config import ConfigError

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATE_KEY = 0x5C40_3167  # advisory lock key: one process migrates the database at a time


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, a busy timeout and WAL."""
    try:
        make_url(url)
    except ArgumentError:
        raise ConfigError(
            "SCHOOLWATCH_DATABASE_URL is not a database URL; use e.g. "
            "postgresql://user:password@host/dbname or sqlite:////data/schoolwatch.db"
        ) from None
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: a failed statement's error must not copy post text into the logs
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            # Deleted rows are overwritten, not left in free pages: retention must leave no trace.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    try:
        # 10 kept: the review page's 8 threads and a scheduler's jobs at once, without opening
        # and closing a connection per request under load (past 5, the default, each one is).
        return create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True
        )
    except NoSuchModuleError:
        scheme = url.split(":", 1)[0]
        raise ConfigError(
            f"SCHOOLWATCH_DATABASE_URL uses {scheme!r}, which Schoolwatch cannot use; "
            "use postgresql://... or sqlite:///..."
        ) from None


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for the deployment's own tables; a school's rows need ``App.sessions``."""
    from models.tenancy import global_sessions

    return global_sessions(engine)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection_engine"] = engine
    return config


def upgrade_schema(engine: Engine) -> None:
    """Create the schema or bring it up to the newest migration."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # SQLite copies a table to change it; with foreign keys on, dropping the old copy
            # would cascade-delete the rows that point at it. The pragma only works outside a
            # transaction, and is put back before the connection returns to the pool.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if not sqlite:
                    # Processes starting together (web, workers, replicas) migrate one at a
                    # time; the others then find the schema current. Released at commit.
                    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATE_KEY})
                config = alembic_config(engine)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the schema upgrade left rows pointing at nothing")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
