"""The ledger: the database of plans and everything stored about them — models, engines and
migrations, importing plans with versions and corrections, queries, units, terms, accounts, audit, backup.

May import: calendar, documents, understand, read, plan, text, errors, settings — never supervise,
notify, reports, demo, web, bench or cli (``tests/test_layout.py`` checks).
"""
