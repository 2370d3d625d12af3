"""A throwaway copy of the demo school for a bench: its config in a temporary folder, and a
database of its own (SQLite under that folder, or a new database on a PostgreSQL server), both
removed afterwards."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEMO = Path(__file__).resolve().parents[1] / "monitor" / "demo"


@contextmanager
def scratch_database(server: str, prefix: str = "sw_bench_", keep: str = "") -> Iterator[str]:
    """Yields the URL of a new database on the PostgreSQL ``server`` (a URL), dropped afterwards;
    or, with ``keep``, of the database of that name (created if missing), left in place."""
    name = keep or f"{prefix}{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")  # fmt: skip
    try:
        with admin.connect() as connection:
            there = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not there:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
    try:
        with ExitStack() as stack:
            if database != "sqlite":
                env["SCHOOLWATCH_DATABASE_URL"] = stack.enter_context(
                    scratch_database(database, keep=keep)
                )
            yield work, env
    finally:
        shutil.rmtree(work, ignore_errors=True)
