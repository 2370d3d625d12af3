"""quarantined posts

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quarantined_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("quarantined_posts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quarantined_posts_source_name"), ["source_name"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("quarantined_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarantined_posts_source_name"))
    op.drop_table("quarantined_posts")
