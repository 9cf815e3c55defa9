"""Alembic environment: migrations always run on a connection handed over by eduplan.ledger.migrate."""

from alembic import context

from eduplan.ledger.models import Base
from eduplan.ledger.search import not_the_search_index

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only eduplan.ledger.migrate runs migrations
    raise RuntimeError("run migrations with `eduplan db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
    include_object=not_the_search_index,
)
with context.begin_transaction():
    context.run_migrations()
