"""item_search_deferred: a bulk import writes its items' search rows once, after its inserts

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 16:00:00

The search index's insert triggers (0005) wrote each new item's search row when the item was
inserted, then rewrote it for every unit link inserted after it: on SQLite an FTS5 update per
link, on PostgreSQL a second refresh of the statement's items (new GIN entries) — most of an
import's time. Now those two triggers do nothing while the table ``item_search_deferred`` holds a
row. The importer inserts one within its transaction, inserts the items and their links, deletes
it and writes the new items' search rows in one statement (``eduplan.ledger.search``). The row is
never committed, so no other transaction sees it: every other writer keeps the triggers.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

DEFERRED = "NOT EXISTS (SELECT 1 FROM item_search_deferred)"

# 0005's two insert triggers, as they were (the downgrade puts them back as they were).
_UNITS = (
    "(SELECT group_concat(name, ' ') FROM (SELECT o.name AS name FROM item_units AS iu"
    " JOIN organisations AS o ON o.id = iu.org_id WHERE iu.item_id = {item} ORDER BY iu.position))"
)
SQLITE_TRIGGERS = {
    "item_search_items_ai": (
        "AFTER INSERT ON items",
        "INSERT INTO item_search (rowid, title, text, units, plan)"
        f" VALUES (new.id, new.title, new.text, {_UNITS.format(item='new.id')},"
        " (SELECT title FROM plans WHERE plans.id = new.plan_id));",
    ),
    "item_search_units_ai": (
        "AFTER INSERT ON item_units",
        f"UPDATE item_search SET units = {_UNITS.format(item='new.item_id')} WHERE rowid = new.item_id;",
    ),
}
PG_FUNCTIONS = {
    "item_search_items_ins": "SELECT id FROM new_rows",
    "item_search_units_ins": "SELECT item_id FROM new_rows",
}


def _sqlite_trigger(name: str, deferrable: bool) -> None:
    event, body = SQLITE_TRIGGERS[name]
    when = f" WHEN {DEFERRED}" if deferrable else ""
    op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"CREATE TRIGGER {name} {event}{when} BEGIN {body} END")


def _pg_function(name: str, deferrable: bool) -> None:
    refresh = f"PERFORM item_search_refresh(ARRAY({PG_FUNCTIONS[name]}));"
    if deferrable:
        refresh = f"IF {DEFERRED} THEN {refresh} END IF;"
    op.execute(
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN {refresh} RETURN NULL; END $$"
    )


def upgrade() -> None:
    op.execute("CREATE TABLE item_search_deferred (deferred integer NOT NULL)")
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in PG_FUNCTIONS if postgresql else SQLITE_TRIGGERS:
        (_pg_function if postgresql else _sqlite_trigger)(name, True)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in PG_FUNCTIONS if postgresql else SQLITE_TRIGGERS:
        (_pg_function if postgresql else _sqlite_trigger)(name, False)
    op.execute("DROP TABLE item_search_deferred")
