from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from models import Base, create_db_engine, upgrade_schema


# Neither SQLAlchemy nor Alembic compares an index on an expression: it is checked by name below.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_the_migrations_build_exactly_the_models_schema(database_url: str) -> None:
    engine = create_db_engine(database_url)
    upgrade_schema(engine)
    upgrade_schema(engine)  # a second start finds nothing to do
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        assert "alembic_version" in inspect(connection).get_table_names()
        catalogue = (
            "SELECT name FROM sqlite_master WHERE type = 'index'"
            if engine.dialect.name == "sqlite"
            else "SELECT indexname FROM pg_indexes WHERE tablename = 'posts'"
        )
        assert "ix_posts_newest" in set(connection.execute(text(catalogue)).scalars())
    engine.dispose()


def test_posts_stored_before_grouping_keys_get_them_on_upgrade(database_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from models.db import alembic_config

    engine = create_db_engine(database_url)
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, "base")  # every migration can be undone, too
        command.upgrade(config, "0004")
        connection.execute(
            text(
                "INSERT INTO posts (platform, external_id, author, text, fetched_at, raw, "
                "content_sha256) VALUES ('x', '1', '@SomeParent', 't', CURRENT_TIMESTAMP, "
                "'{\"conversation_id\": \"99\"}', 'h')"
            )
        )
    upgrade_schema(engine)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT author_key, thread_key FROM posts")).one()
    assert tuple(row) == ("someparent", "99")
    engine.dispose()
