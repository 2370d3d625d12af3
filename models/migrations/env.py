"""Alembic's environment: runs on the connection that models.db hands it."""

from __future__ import annotations

from alembic import context

from models.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through models.db.upgrade_schema()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
