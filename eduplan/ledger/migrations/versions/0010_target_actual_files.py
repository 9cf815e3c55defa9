"""target_actual_files: evidence files of a target's reported actual

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 10:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "target_actual_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actual_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actual_id"],
            ["target_actuals.id"],
            name=op.f("fk_target_actual_files_actual_id_target_actuals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_actual_files")),
    )
    with op.batch_alter_table("target_actual_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_actual_files_actual_id"), ["actual_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("target_actual_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_actual_files_actual_id"))
    op.drop_table("target_actual_files")
