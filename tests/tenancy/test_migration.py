"""Migration 0015 on a one-school database with data: every row goes to the one school, every
user becomes its member, nothing is lost (SQLite copies tables to change them), and the school
takes the name of its config when the app starts."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from config import Settings
from models import create_db_engine, upgrade_schema
from models.db import alembic_config
from monitor.app import App
from monitor.cases import next_reference

ROWS = [
    "INSERT INTO users (id, email, password_hash, role, active, created_at) VALUES "
    "(1, 'head@school.example', 'h', 'headteacher', true, CURRENT_TIMESTAMP), "
    "(2, 'staff@school.example', 'h', 'staff', true, CURRENT_TIMESTAMP)",
    "INSERT INTO sources (id, name, type, last_fetched, last_skipped, consecutive_failures, "
    "posts_total) VALUES (1, 'imported', 'jsonl', 0, 0, 0, 0)",
    "INSERT INTO cases (id, reference, status, severity, categories, created_at, updated_at) "
    "VALUES (1, 'SW-2026-0002', 'new', 'high', '[\"pupil\"]', CURRENT_TIMESTAMP, "
    "CURRENT_TIMESTAMP)",
    "INSERT INTO case_sequences (year, last) VALUES (2026, 2)",
    "INSERT INTO posts (id, platform, external_id, text, fetched_at, content_sha256, case_id) "
    "VALUES (1, 'x', '1', 'a post', CURRENT_TIMESTAMP, 'h', 1)",
    "INSERT INTO flags (id, post_id, category, score, severity, evidence, reason, stage, "
    "model_version, status, created_at) VALUES (1, 1, 'pupil', 0.9, 'high', '[]', 'r', 'rules', "
    "'v', 'open', CURRENT_TIMESTAMP)",
    "INSERT INTO audit_events (id, actor, action, created_at) VALUES "
    "(1, 'head@school.example', 'login', CURRENT_TIMESTAMP)",
]


def test_a_one_school_database_becomes_school_one_with_nothing_lost(
    database_url: str, settings: Settings
) -> None:
    engine = create_db_engine(database_url)
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        command.upgrade(config, "0014")
        for statement in ROWS:
            connection.execute(text(statement))
    upgrade_schema(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id, slug FROM schools")).all() == [(1, "school")]
        for table in ("users", "sources", "cases", "posts", "flags", "audit_events"):
            count = connection.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            assert count in (1, 2), table
            if table != "users":
                ids = connection.execute(text(f"SELECT DISTINCT school_id FROM {table}")).all()
                assert ids == [(1,)], table
        members = connection.execute(
            text("SELECT user_id, school_id, role FROM memberships ORDER BY user_id")
        ).all()
        assert members == [(1, 1, "headteacher"), (2, 1, "staff")]
    engine.dispose()
    app = App.open(settings)
    try:
        assert app.school_id == 1 and app.slug == "school"
        with app.engine.connect() as connection:
            name = connection.execute(text("SELECT name FROM schools")).scalar()
        assert name == "Roose Community Primary School"  # from the config, on start
        with app.sessions.begin() as session:
            assert next_reference(session, datetime(2026, 12, 4, tzinfo=UTC)) == "SW-2026-0003"
    finally:
        app.close()
