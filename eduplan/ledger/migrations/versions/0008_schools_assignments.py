"""work sent down to schools: school types, groups, assignments, 销号 requests, target leads

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:00:00

* ``organisations.school_type`` (a school's type) and ``organisations.group_key`` (a group's
  standard key) — plain columns added in place: ``organisations`` carries the search index's
  triggers (0005), which a batch copy of the table would drop.
* ``group_members``: the members of a group an administrator defined.
* ``assignments``: one school's share of an item asked of a group.
* ``closing_requests``: 申请销号 and its review.
* ``targets.lead_org_id``: the unit that reports a target's actuals (batch copy on SQLite, which
  cannot add a foreign key in place; ``targets`` has no triggers).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("organisations", sa.Column("school_type", sa.String(length=16), nullable=True))
    op.add_column("organisations", sa.Column("group_key", sa.String(length=16), nullable=True))
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead_org_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_targets_lead_org_id_organisations"),
            "organisations",
            ["lead_org_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["organisations.id"],
            name=op.f("fk_group_members_group_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["organisations.id"],
            name=op.f("fk_group_members_member_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "member_id", name=op.f("pk_group_members")),
    )
    with op.batch_alter_table("group_members", schema=None) as batch_op:
        batch_op.create_index("ix_group_members_member", ["member_id"], unique=False)
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_assignments_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_assignments_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint("item_id", "org_id", name=op.f("uq_assignments_item_id")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignments_org_id"), ["org_id"], unique=False)
    op.create_table(
        "closing_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=True),
        sa.Column("org_id", sa.Integer(), nullable=True),
        sa.Column("org_name", sa.String(length=200), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reviewer_org", sa.String(length=200), nullable=True),
        sa.Column("reviewer", sa.String(length=100), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["assignments.id"],
            name=op.f("fk_closing_requests_assignment_id_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_closing_requests_item_id_items"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_closing_requests_org_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["progress_reports.id"],
            name=op.f("fk_closing_requests_report_id_progress_reports"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closing_requests")),
    )
    with op.batch_alter_table("closing_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_closing_requests_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("closing_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_closing_requests_item_id"))
    op.drop_table("closing_requests")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_org_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_item_id"))
    op.drop_table("assignments")
    with op.batch_alter_table("group_members", schema=None) as batch_op:
        batch_op.drop_index("ix_group_members_member")
    op.drop_table("group_members")
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_targets_lead_org_id_organisations"), type_="foreignkey")
        batch_op.drop_column("lead_org_id")
    # In place (SQLite 3.35+ drops a column without copying the table, keeping its triggers).
    op.drop_column("organisations", "group_key")
    op.drop_column("organisations", "school_type")
