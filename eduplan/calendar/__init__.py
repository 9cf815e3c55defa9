"""Dates of the school year and the renderers of a work calendar, without a database.

``model`` (terms, weeks, calendar rows), ``terms`` (term and week arithmetic), ``holidays``
(Chinese public holidays and adjusted workdays), ``lunar`` (lunar dates), ``grouping`` (rows by
week or month), and the renderers: ``ics`` (iCalendar), ``excel`` and ``tables_xlsx`` (the
printed 行事历 and tables), ``word`` and ``summary_docx`` (Word documents).

It imports only the plan contract, ``text`` and ``understand.numerals``; ``summary_docx`` names
``ledger.summary.Summary`` for type checking only.
"""
