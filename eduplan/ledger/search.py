"""Full-text search over items: title, text, units and plan title, for Chinese.

The index is the table ``item_search`` of migration 0005, kept in step by the database's own
triggers: on SQLite an FTS5 table with the trigram tokenizer (any substring of three characters
or more is found through the index), on PostgreSQL a table with a pg_trgm GIN index (which
serves ``ILIKE '%…%'``). A query is cut at spaces into terms that must all be found; on SQLite a
term shorter than three characters cannot use the trigram index and is looked for with ``LIKE``
over the index's columns instead (PostgreSQL's ``ILIKE`` falls back to reading the rows by
itself).

A bulk import inserts its items and their unit links with the insert triggers held back
(``deferred``, migration 0011) and then writes the new items' search rows in one statement
(``index_new_items``): the same rows, without rewriting each item's row once per unit link."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    column,
    exists,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from eduplan.ledger.models import Item

SEARCH_TABLE = "item_search"
DEFERRED_TABLE = "item_search_deferred"
"""While it holds a row (never committed), the insert triggers of the index do nothing."""
_FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")
MIN_INDEXED = 3
"""Characters a term needs for the trigram index to find it."""
MAX_TERMS = 8
MAX_QUERY_CHARS = 200


def is_search_table(name: str) -> bool:
    """The search index's table, its deferral table (0011), or one of the tables SQLite's FTS5
    keeps it in."""
    return name in (SEARCH_TABLE, DEFERRED_TABLE) or any(name == SEARCH_TABLE + s for s in _FTS5_SHADOWS)


def not_the_search_index(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: the search index is made by its migration, not by the models,
    so comparing the models with the database leaves it out."""
    return not (type_ == "table" and reflected and compare_to is None and is_search_table(name))


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Items and unit links inserted within get no search rows from the triggers: the caller
    writes them after, with ``index_new_items``, in the same transaction. The session's pending
    changes are flushed first: they keep their triggers."""
    session.flush()
    connection = session.connection()
    connection.execute(text(f"INSERT INTO {DEFERRED_TABLE} (deferred) VALUES (1)"))
    try:
        yield
    except BaseException:
        # The transaction is normally rolled back, the row with it; if the caller goes on
        # anyway (SQLite keeps a transaction after a failed statement), the triggers must too.
        with suppress(Exception):
            connection.execute(text(f"DELETE FROM {DEFERRED_TABLE}"))
        raise
    connection.execute(text(f"DELETE FROM {DEFERRED_TABLE}"))


_SQLITE_INDEX = text(
    f"INSERT INTO {SEARCH_TABLE} (rowid, title, text, units, plan)"
    " SELECT i.id, i.title, i.text,"
    " (SELECT group_concat(name, ' ') FROM (SELECT o.name AS name FROM item_units AS iu"
    "  JOIN organisations AS o ON o.id = iu.org_id WHERE iu.item_id = i.id ORDER BY iu.position)),"
    " (SELECT title FROM plans WHERE plans.id = i.plan_id)"
    " FROM items AS i WHERE i.plan_id = :plan AND i.added_in = :version"
)
_PG_INDEX = text(
    "SELECT item_search_refresh(ARRAY(SELECT id FROM items WHERE plan_id = :plan AND added_in = :version))"
)


def index_new_items(session: Session, plan_id: int, version: int) -> None:
    """Write the search rows of the plan's items added in ``version`` (inserted ``deferred``):
    what the triggers would have written, in one statement."""
    connection = session.connection()
    statement = _PG_INDEX if connection.dialect.name == "postgresql" else _SQLITE_INDEX
    connection.execute(statement, {"plan": plan_id, "version": version})


def terms(query: str | None) -> list[str]:
    """The words of a query (NFKC: full-width letters and digits as typed on a phone), each once,
    at most ``MAX_TERMS``."""
    text = unicodedata.normalize("NFKC", query or "")[:MAX_QUERY_CHARS]
    found: list[str] = []
    for word in text.split():
        if word not in found:
            found.append(word)
    return found[:MAX_TERMS]


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _phrase(term: str) -> str:
    """An FTS5 string: the term as one phrase, its double quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


_SQLITE = table(
    SEARCH_TABLE, column("rowid"), column("title"), column("text"), column("units"), column("plan")
)
_PG = table(SEARCH_TABLE, column("item_id"), column("doc"))


def matching(dialect: str, words: list[str], item_id: ColumnElement[int]) -> ColumnElement[bool]:
    """A condition on ``item_id`` (an items.id column): the item's title, text, units or plan
    title hold every word. Words the trigram index can find select ids through it; shorter ones
    are checked row by row against the item's search row (looked up by its key), so they cost
    one lookup per item the rest of the query leaves — a bureau's items, not the ledger's."""
    long_words = [w for w in words if len(w) >= MIN_INDEXED]
    short_words = [w for w in words if len(w) < MIN_INDEXED]
    conditions: list[ColumnElement[bool]] = []
    if dialect == "postgresql":
        if long_words:
            found = [
                _PG.c.doc.ilike(bindparam(f"w{i}", _like(w), unique=True), escape="\\")
                for i, w in enumerate(long_words)
            ]
            conditions.append(item_id.in_(select(_PG.c.item_id).where(and_(*found))))
        if short_words:
            near = [
                _PG.c.doc.ilike(bindparam(f"s{i}", _like(w), unique=True), escape="\\")
                for i, w in enumerate(short_words)
            ]
            conditions.append(exists().where(_PG.c.item_id == item_id, *near))
        return and_(*conditions)
    if long_words:
        match = " AND ".join(_phrase(w) for w in long_words)
        fts = literal_column(SEARCH_TABLE).op("MATCH")(bindparam("fts_match", match, unique=True))
        conditions.append(item_id.in_(select(_SQLITE.c.rowid).where(fts)))
    if short_words:
        near = []
        for i, word in enumerate(short_words):
            pattern = bindparam(f"s{i}", _like(word), unique=True)
            near.append(
                or_(*(_SQLITE.c[n].like(pattern, escape="\\") for n in ("title", "text", "units", "plan")))
            )
        conditions.append(exists().where(_SQLITE.c.rowid == item_id, *near))
    return and_(*conditions)


def search_item_ids(session: Session, query: str | None) -> list[int]:
    """The ids of every item (live or removed, any bureau) matching ``query``; [] for no words."""
    words = terms(query)
    if not words:
        return []
    condition = matching(session.get_bind().dialect.name, words, Item.id)
    return list(session.scalars(select(Item.id).where(condition)))
