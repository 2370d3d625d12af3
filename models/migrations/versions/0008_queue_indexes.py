"""queue indexes: flags by status and by category, for the queue's filters in SQL

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 04:15:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flags_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_flags_category"), ["category"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flags_category"))
        batch_op.drop_index(batch_op.f("ix_flags_status"))
