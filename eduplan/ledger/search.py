"""Full-text search over items: title, text, units and plan title, for Chinese.

The index is the table ``item_search`` of migration 0005, kept in step by the database's own
triggers: on SQLite an FTS5 table with the trigram tokenizer (any substring of three characters
or more is found through the index), on PostgreSQL a table with a pg_trgm GIN index (which
serves ``ILIKE '%…%'``). A query is cut at spaces into terms that must all be found; on SQLite a
term shorter than three characters cannot use the trigram index and is looked for with ``LIKE``
over the index's columns instead (PostgreSQL's ``ILIKE`` falls back to reading the rows by
itself)."""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, and_, bindparam, column, exists, literal_column, or_, select, table
from sqlalchemy.orm import Session

from eduplan.ledger.models import Item

SEARCH_TABLE = "item_search"
_FTS5_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")
MIN_INDEXED = 3
"""Characters a term needs for the trigram index to find it."""
MAX_TERMS = 8
MAX_QUERY_CHARS = 200


def is_search_table(name: str) -> bool:
    """The search index's table, or one of the tables SQLite's FTS5 keeps it in."""
    return name == SEARCH_TABLE or any(name == SEARCH_TABLE + s for s in _FTS5_SHADOWS)


def not_the_search_index(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's ``include_object``: the search index is made by its migration, not by the models,
    so comparing the models with the database leaves it out."""
    return not (type_ == "table" and reflected and compare_to is None and is_search_table(name))


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
