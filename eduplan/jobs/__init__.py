"""Long work off the request path: reading an upload and building a large export run in child
processes with memory and time limits (``pool``), tracked as rows of the ``jobs`` table
(``store``), dispatched in process or through a PostgreSQL-backed queue (``queue``)."""
