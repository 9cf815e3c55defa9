"""The web app: FastAPI with Chinese pages (``routes/<area>.py`` with the work behind each in
``views/<area>.py``), the JSON API (``api/<resource>.py``), sign-in, sessions, limits and permissions.

May import: every stage below it (reports, notify, supervise, ledger, calendar, documents…) — only
bench and cli import web.
"""
