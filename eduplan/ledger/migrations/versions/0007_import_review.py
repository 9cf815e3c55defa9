"""import review: corrections as their own layer, learned hints, offices' import rights

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 07:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, not a batch copy: the search triggers of 0005 name this table.
    op.add_column(
        "organisations", sa.Column("import_rights", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_table(
        "import_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bureau_id", sa.Integer(), nullable=False),
        sa.Column("doc_key", sa.String(length=300), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("op", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bureau_id"],
            ["organisations.id"],
            name=op.f("fk_import_corrections_bureau_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["drafts.id"],
            name=op.f("fk_import_corrections_draft_id_drafts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_corrections")),
    )
    with op.batch_alter_table("import_corrections", schema=None) as batch_op:
        batch_op.create_index("ix_import_corrections_bureau_doc", ["bureau_id", "doc_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_corrections_draft_id"), ["draft_id"], unique=False)
    op.create_table(
        "learned_hints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bureau_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["bureau_id"],
            ["organisations.id"],
            name=op.f("fk_learned_hints_bureau_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learned_hints")),
    )
    with op.batch_alter_table("learned_hints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learned_hints_bureau_id"), ["bureau_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("learned_hints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learned_hints_bureau_id"))
    op.drop_table("learned_hints")
    with op.batch_alter_table("import_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_corrections_draft_id"))
        batch_op.drop_index("ix_import_corrections_bureau_doc")
    op.drop_table("import_corrections")
    op.drop_column("organisations", "import_rights")
