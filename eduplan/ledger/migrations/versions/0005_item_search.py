"""full-text search over items: SQLite FTS5 (trigram), PostgreSQL pg_trgm

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 03:00:00

One search row per item — its title, text, units (names, lead first) and plan title — kept in
step by the database's own triggers, so every writer (the importer's bulk inserts, a unit merge,
a plan retitled, a cascade delete) updates it without the application's help.

* SQLite: the FTS5 table ``item_search`` (rowid = item id) with the ``trigram`` tokenizer,
  which matches any substring of three characters or more — what Chinese needs, having no
  spaces between words. Row triggers on items, item_units, plans and organisations.
* PostgreSQL: the table ``item_search`` (item_id, doc) with a GIN ``gin_trgm_ops`` index,
  which serves ``ILIKE '%…%'``; statement triggers with transition tables refresh the rows a
  statement touched in one pass (an import inserts hundreds of items in one statement).

The table is not one of the models (``eduplan.ledger.search``); a later migration that copies
``items`` on SQLite (batch mode) drops its triggers and must create them again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# --- SQLite ---------------------------------------------------------------------------------

_UNITS = (
    "(SELECT group_concat(name, ' ') FROM (SELECT o.name AS name FROM item_units AS iu"
    " JOIN organisations AS o ON o.id = iu.org_id WHERE iu.item_id = {item} ORDER BY iu.position))"
)
_PLAN = "(SELECT title FROM plans WHERE plans.id = {plan})"

SQLITE_TRIGGERS = {
    "item_search_items_ai": f"""
        CREATE TRIGGER item_search_items_ai AFTER INSERT ON items BEGIN
          INSERT INTO item_search (rowid, title, text, units, plan)
          VALUES (new.id, new.title, new.text,
                  {_UNITS.format(item="new.id")}, {_PLAN.format(plan="new.plan_id")});
        END""",
    "item_search_items_au": f"""
        CREATE TRIGGER item_search_items_au AFTER UPDATE OF title, text, plan_id ON items BEGIN
          UPDATE item_search SET title = new.title, text = new.text, plan = {_PLAN.format(plan="new.plan_id")}
          WHERE rowid = new.id;
        END""",
    "item_search_items_ad": """
        CREATE TRIGGER item_search_items_ad AFTER DELETE ON items BEGIN
          DELETE FROM item_search WHERE rowid = old.id;
        END""",
    "item_search_units_ai": f"""
        CREATE TRIGGER item_search_units_ai AFTER INSERT ON item_units BEGIN
          UPDATE item_search SET units = {_UNITS.format(item="new.item_id")} WHERE rowid = new.item_id;
        END""",
    "item_search_units_au": f"""
        CREATE TRIGGER item_search_units_au AFTER UPDATE ON item_units BEGIN
          UPDATE item_search SET units = {_UNITS.format(item="old.item_id")} WHERE rowid = old.item_id;
          UPDATE item_search SET units = {_UNITS.format(item="new.item_id")} WHERE rowid = new.item_id;
        END""",
    "item_search_units_ad": f"""
        CREATE TRIGGER item_search_units_ad AFTER DELETE ON item_units BEGIN
          UPDATE item_search SET units = {_UNITS.format(item="old.item_id")} WHERE rowid = old.item_id;
        END""",
    "item_search_plans_au": """
        CREATE TRIGGER item_search_plans_au AFTER UPDATE OF title ON plans BEGIN
          UPDATE item_search SET plan = new.title
          WHERE rowid IN (SELECT id FROM items WHERE plan_id = new.id);
        END""",
    "item_search_orgs_au": f"""
        CREATE TRIGGER item_search_orgs_au AFTER UPDATE OF name ON organisations BEGIN
          UPDATE item_search SET units = {_UNITS.format(item="item_search.rowid")}
          WHERE rowid IN (SELECT item_id FROM item_units WHERE org_id = new.id);
        END""",
}


def _sqlite_upgrade() -> None:
    op.execute("CREATE VIRTUAL TABLE item_search USING fts5(title, text, units, plan, tokenize = 'trigram')")
    for ddl in SQLITE_TRIGGERS.values():
        op.execute(ddl)
    op.execute(
        "INSERT INTO item_search (rowid, title, text, units, plan)"
        f" SELECT items.id, items.title, items.text, {_UNITS.format(item='items.id')},"
        f" {_PLAN.format(plan='items.plan_id')} FROM items"
    )


def _sqlite_downgrade() -> None:
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS item_search")


# --- PostgreSQL -----------------------------------------------------------------------------

# Each trigger function names the items a statement touched; item_search_refresh rebuilds them.
PG_TRIGGERS = {
    # (trigger, table, event, transition tables, the item ids touched)
    "item_search_items_ins": (
        "items",
        "INSERT",
        "NEW TABLE AS new_rows",
        "SELECT id FROM new_rows",
    ),
    "item_search_items_upd": (
        "items",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT n.id FROM new_rows AS n JOIN old_rows AS o ON o.id = n.id"
        " WHERE (n.title, n.text, n.plan_id) IS DISTINCT FROM (o.title, o.text, o.plan_id)",
    ),
    "item_search_units_ins": (
        "item_units",
        "INSERT",
        "NEW TABLE AS new_rows",
        "SELECT item_id FROM new_rows",
    ),
    "item_search_units_upd": (
        "item_units",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT item_id FROM new_rows UNION SELECT item_id FROM old_rows",
    ),
    "item_search_units_del": (
        "item_units",
        "DELETE",
        "OLD TABLE AS old_rows",
        "SELECT item_id FROM old_rows",
    ),
    "item_search_plans_upd": (
        "plans",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT items.id FROM items JOIN new_rows AS n ON n.id = items.plan_id"
        " JOIN old_rows AS o ON o.id = n.id WHERE n.title IS DISTINCT FROM o.title",
    ),
    "item_search_orgs_upd": (
        "organisations",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT iu.item_id FROM item_units AS iu JOIN new_rows AS n ON n.id = iu.org_id"
        " JOIN old_rows AS o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name",
    ),
}

PG_REFRESH = """
    CREATE FUNCTION item_search_refresh(ids integer[]) RETURNS void LANGUAGE sql AS $$
      INSERT INTO item_search (item_id, doc)
      SELECT i.id, concat_ws(E'\\n', i.title, i.text,
               (SELECT string_agg(o.name, ' ' ORDER BY iu.position) FROM item_units AS iu
                JOIN organisations AS o ON o.id = iu.org_id WHERE iu.item_id = i.id),
               p.title)
      FROM items AS i JOIN plans AS p ON p.id = i.plan_id
      WHERE i.id = ANY(ids)
      ON CONFLICT (item_id) DO UPDATE SET doc = EXCLUDED.doc
    $$"""


def _trgm_schema() -> str:
    """The schema pg_trgm lives in, installing it (in the schema ``extensions``, apart from the
    ledger's, so a backup of the ledger's schema never carries it) when it is missing."""
    bind = op.get_bind()
    found = bind.scalar(
        sa.text(
            "SELECT n.nspname FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    )
    if found:
        return str(found)
    op.execute("CREATE SCHEMA IF NOT EXISTS extensions")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions")
    return "extensions"


def _pg_upgrade() -> None:
    trgm = _trgm_schema()
    op.execute(
        "CREATE TABLE item_search ("
        " item_id integer PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,"
        " doc text NOT NULL)"
    )
    op.execute(f'CREATE INDEX ix_item_search_doc ON item_search USING gin (doc "{trgm}".gin_trgm_ops)')
    op.execute(PG_REFRESH)
    for name, (table, event, transition, ids) in PG_TRIGGERS.items():
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN PERFORM item_search_refresh(ARRAY({ids})); RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )
    op.execute("SELECT item_search_refresh(ARRAY(SELECT id FROM items))")


def _pg_downgrade() -> None:
    for name, (table, *_rest) in PG_TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute("DROP FUNCTION IF EXISTS item_search_refresh(integer[])")
    op.execute("DROP TABLE IF EXISTS item_search")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _pg_downgrade()
    else:
        _sqlite_downgrade()
