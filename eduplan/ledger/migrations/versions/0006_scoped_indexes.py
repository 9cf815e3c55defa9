"""indexes for the queries that start from the viewer's bureau

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:00:00

The pages read a bureau's items from its plans (``plans.bureau_id`` → ``items.plan_id``), a
unit's items from its links (``item_units.org_id``) and the active 督办 of those items; these
indexes let each step be an index range, so the plan does not depend on fresh statistics:

* ``items (plan_id, removed_in, start)`` replaces ``(plan_id, removed_in)``: a plan's live items
  within a week or a month are a range of it, not every item of the plan filtered;
* ``item_units (org_id, item_id)`` replaces ``(org_id)``: "the items of these units" is read
  from the index alone;
* ``supervisions (item_id) WHERE lifted_at IS NULL``: only the active 督办 (most rows, over the
  years, are lifted);
* ``progress_reports (item_id, created_at)`` replaces ``(item_id)``: an item's reports in the
  order the item page and the summaries show them.

Plain CREATE/DROP INDEX on both databases (no batch table copy on SQLite, so 0005's search
triggers on ``items`` stay).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ACTIVE = sa.text("lifted_at IS NULL")


def upgrade() -> None:
    op.drop_index("ix_items_plan_live", table_name="items")
    op.create_index("ix_items_plan_live_start", "items", ["plan_id", "removed_in", "start"])
    op.drop_index("ix_item_units_org", table_name="item_units")
    op.create_index("ix_item_units_org_item", "item_units", ["org_id", "item_id"])
    op.create_index(
        "ix_supervisions_active", "supervisions", ["item_id"], sqlite_where=ACTIVE, postgresql_where=ACTIVE
    )
    op.drop_index("ix_progress_reports_item_id", table_name="progress_reports")
    op.create_index("ix_progress_reports_item_created", "progress_reports", ["item_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_progress_reports_item_created", table_name="progress_reports")
    op.create_index("ix_progress_reports_item_id", "progress_reports", ["item_id"])
    op.drop_index("ix_supervisions_active", table_name="supervisions")
    op.drop_index("ix_item_units_org_item", table_name="item_units")
    op.create_index("ix_item_units_org", "item_units", ["org_id"])
    op.drop_index("ix_items_plan_live_start", table_name="items")
    op.create_index("ix_items_plan_live", "items", ["plan_id", "removed_in"])
