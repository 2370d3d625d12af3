"""schools: one deployment holds many schools; every stored row belongs to one

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 09:00:00

A database with data in it had one school: it becomes school 1 (slug "school" until the app
starts and names it from its config), every row is given to it and every user becomes a member
of it with the role they had.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TENANT_TABLES = (
    "sources", "cases", "case_steps", "case_letters", "posts", "evidence_images", "flags",
    "case_events", "outbox", "audit_events", "training_labels", "school_rules",
    "threshold_overrides", "decisions",
)  # fmt: skip
# Unique constraints that were deployment-wide and are now per school:
# table -> (old name on PostgreSQL, old name on SQLite, new name, columns)
PER_SCHOOL = {
    "sources": ("sources_name_key", "uq_sources_name", "uq_sources_school_name", ["name"]),
    "cases": (
        "cases_reference_key", "uq_cases_reference", "uq_cases_school_reference", ["reference"],
    ),
    "outbox": (
        "outbox_dedup_key_key", "uq_outbox_dedup_key", "uq_outbox_school_dedup", ["dedup_key"],
    ),
    "posts": (
        "uq_posts_platform_id", "uq_posts_platform_id", "uq_posts_platform_id",
        ["platform", "external_id"],
    ),
}  # fmt: skip
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
NEWEST = [sa.text("coalesce(created_at, fetched_at) DESC"), sa.text("id DESC")]


def _has_data(connection: sa.Connection) -> bool:
    for table in (*TENANT_TABLES, "users", "case_sequences"):
        if connection.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None:
            return True
    return False


def upgrade() -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    schools = op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "school_id"),
    )
    op.create_index("ix_memberships_school_id", "memberships", ["school_id"], unique=False)
    if _has_data(connection):
        op.bulk_insert(schools, [{"id": 1, "slug": "school", "name": "School"}])
        if not sqlite:
            connection.execute(sa.text("SELECT setval('schools_id_seq', 1)"))
        connection.execute(
            sa.text(
                "INSERT INTO memberships (user_id, school_id, role) SELECT id, 1, role FROM users"
            )
        )
    # The expression index is rebuilt below with the school first; SQLite's table copy would
    # not carry it over anyway.
    op.drop_index("ix_posts_newest", table_name="posts")
    for table in TENANT_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("school_id", sa.Integer(), nullable=False, server_default=sa.text("1"))
            )
        with op.batch_alter_table(table, naming_convention=NAMING) as batch:
            batch.alter_column("school_id", server_default=None, nullable=table == "audit_events")
            batch.create_index(f"ix_{table}_school_id", ["school_id"], unique=False)
            batch.create_foreign_key(
                f"fk_{table}_school_id", "schools", ["school_id"], ["id"], ondelete="CASCADE"
            )
            if table in PER_SCHOOL:
                pg_name, sqlite_name, new_name, columns = PER_SCHOOL[table]
                batch.drop_constraint(sqlite_name if sqlite else pg_name, type_="unique")
                batch.create_unique_constraint(new_name, ["school_id", *columns])
    op.create_index("ix_posts_newest", "posts", ["school_id", *NEWEST], unique=False)
    _rebuild_sequences(with_school=True)


def _rebuild_sequences(with_school: bool) -> None:
    """case_sequences changes its primary key: made again, its numbers kept."""
    connection = op.get_bind()
    # Going back to one numbering, each year keeps its highest number so no reference repeats.
    rows = connection.execute(
        sa.text("SELECT year, max(last) FROM case_sequences GROUP BY year")
    ).all()
    op.drop_table("case_sequences")
    columns: list[sa.Column[int]] = [
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
    ]
    if with_school:
        table = op.create_table(
            "case_sequences",
            sa.Column("school_id", sa.Integer(), nullable=False),
            *columns,
            sa.ForeignKeyConstraint(
                ["school_id"], ["schools.id"], name="fk_case_sequences_school_id",
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("school_id", "year"),
        )  # fmt: skip
        op.bulk_insert(table, [{"school_id": 1, "year": y, "last": n} for y, n in rows])
    else:
        table = op.create_table("case_sequences", *columns, sa.PrimaryKeyConstraint("year"))
        op.bulk_insert(table, [{"year": y, "last": n} for y, n in rows])


def downgrade() -> None:
    connection = op.get_bind()
    sqlite = connection.dialect.name == "sqlite"
    _rebuild_sequences(with_school=False)
    op.drop_index("ix_posts_newest", table_name="posts")
    for table in TENANT_TABLES:
        with op.batch_alter_table(table) as batch:
            if table in PER_SCHOOL:
                pg_name, sqlite_name, new_name, columns = PER_SCHOOL[table]
                batch.drop_constraint(new_name, type_="unique")
                batch.create_unique_constraint(sqlite_name if sqlite else pg_name, columns)
            batch.drop_constraint(f"fk_{table}_school_id", type_="foreignkey")
            batch.drop_index(f"ix_{table}_school_id")
            batch.drop_column("school_id")
    op.create_index("ix_posts_newest", "posts", NEWEST, unique=False)
    op.drop_index("ix_memberships_school_id", table_name="memberships")
    op.drop_table("memberships")
    op.drop_table("schools")
