"""api_usage: calls, posts read and estimated cost per school, platform and day

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("school", sa.String(length=200), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("calls", sa.Float(), nullable=False),
        sa.Column("posts_read", sa.Float(), nullable=False),
        sa.Column("cost", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "platform", "school", "shared"),
    )


def downgrade() -> None:
    op.drop_table("api_usage")
