"""evidence images: screenshots kept with their posts, with SHA-256 and OCR text

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("ocr_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("post_id", "sha256", name="uq_evidence_images_post_sha"),
    )
    with op.batch_alter_table("evidence_images", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_images_post_id"), ["post_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence_images", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_images_post_id"))
    op.drop_table("evidence_images")
