from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from models import Base, create_db_engine, upgrade_schema


def test_the_migrations_build_exactly_the_models_schema(database_url: str) -> None:
    engine = create_db_engine(database_url)
    upgrade_schema(engine)
    upgrade_schema(engine)  # a second start finds nothing to do
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        assert "alembic_version" in inspect(connection).get_table_names()
    engine.dispose()
