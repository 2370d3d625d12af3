"""A throwaway copy of the demo school for a bench: its config in a temporary folder, and a
database of its own (SQLite under that folder, or a new database on a PostgreSQL server), both
removed afterwards."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEMO = Path(__file__).resolve().parents[1] / "monitor" / "demo"


@contextmanager
def scratch_school(
    prefix: str, database: str, extra_env: dict[str, str] | None = None, keep: str = ""
) -> Iterator[tuple[Path, dict[str, str]]]:
    """Yields the folder holding school.toml and the environment to load it with. ``database``
    is ``sqlite`` or a PostgreSQL URL, on whose server a database is created and dropped; or,
    with ``keep``, the database of that name is used (created if missing) and left in place."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    for name in ("school.toml", "pupils.csv", "staff.csv"):
        shutil.copy(DEMO / name, work / name)
    env = {"SCHOOLWATCH_DATA_DIR": str(work / "data"), **(extra_env or {})}
    admin, db_name = None, ""
    try:
        if database != "sqlite":
            db_name = keep or f"sw_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(database.replace("postgresql://", "postgresql+psycopg://"),
                                  isolation_level="AUTOCOMMIT")  # fmt: skip
            with admin.connect() as connection:
                there = connection.scalar(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": db_name}
                )
                if not there:
                    connection.execute(text(f'CREATE DATABASE "{db_name}"'))
            env["SCHOOLWATCH_DATABASE_URL"] = (
                make_url(database).set(database=db_name).render_as_string(hide_password=False)
            )
        yield work, env
    finally:
        if admin is not None and not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
        if admin is not None:
            admin.dispose()
        shutil.rmtree(work, ignore_errors=True)
