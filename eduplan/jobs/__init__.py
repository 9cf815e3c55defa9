"""Long work off the request path: reading an upload and building a large export run in child
processes with memory and time limits (``pool``), tracked as rows of the ``jobs`` table
(``store``), run by threads of this process (``runner``) or by ``eduplan worker`` through a
PostgreSQL-backed queue (``queue``, procrastinate), which also schedules the daily reminders.

May import: notify (the reminders) and everything below it (ledger, calendar, documents, read,
understand) — never web, bench or cli. Its place in the stages: after notify, before web.
"""
