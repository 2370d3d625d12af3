"""queue order indexes: posts newest first, flags by status and severity

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_posts_newest",
        "posts",
        [sa.text("coalesce(created_at, fetched_at) DESC"), sa.text("id DESC")],
        unique=False,
    )
    op.create_index(
        "ix_flags_status_severity", "flags", ["status", "severity", "post_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_flags_status_severity", table_name="flags")
    op.drop_index("ix_posts_newest", table_name="posts")
