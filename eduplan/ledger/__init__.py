"""The ledger: the database of plans and the term's work on them (SQLAlchemy 2, Alembic).

Schema and access: ``models``, ``db`` (engines, sessions, the write lock), ``migrate`` and
``migrations``; importing plans and correcting them: ``importer``, ``bulk``, ``diff``, ``orgs``,
``orgwords``, ``terms``, ``holidays``; ``accounts``, ``audit``, ``clock``, ``stored_text``. The
term's work: ``progress`` (status, reports, 销号), ``status``, ``supervision`` (督办) and
``supervision_stats``, ``reminders``, ``agenda``, ``actuals`` and ``goal_text``. Reports:
``summary``, ``compare``, ``pastplans``, ``recurring``; ``queries`` and ``exporting`` feed the
views and exports. Also ``backup``, the demo data (``demo``, ``summary_demo``,
``supervision_demo``) and ``bench``.

It imports the plan contract (``eduplan.plan``), ``calendar``, ``read`` and ``text``, never
``cli``; two imports go upward today (``accounts`` uses ``web.security`` for password hashes,
``demo`` seeds ``notify`` preferences).
"""
