"""post grouping keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 15:50:14.565048
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_key", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("thread_key", sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f("ix_posts_author_key"), ["author_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_posts_thread_key"), ["thread_key"], unique=False)
    _backfill()


def _backfill() -> None:
    """Posts stored before this revision get their keys, so they still group with new ones."""
    from models.grouping import author_key, thread_key

    posts = sa.table(
        "posts",
        sa.column("id"),
        sa.column("author"),
        sa.column("raw", sa.JSON),
        sa.column("author_key"),
        sa.column("thread_key"),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(posts.c.id, posts.c.author, posts.c.raw)).all()
    for row in rows:
        connection.execute(
            posts.update()
            .where(posts.c.id == row.id)
            .values(author_key=author_key(row.author), thread_key=thread_key(row.raw))
        )


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posts_thread_key"))
        batch_op.drop_index(batch_op.f("ix_posts_author_key"))
        batch_op.drop_column("thread_key")
        batch_op.drop_column("author_key")
