"""Dates of the school year and the renderers of a work calendar, without a database: terms and
weeks, holidays, lunar dates, rows by week or month, ics, xlsx and docx.

May import: understand (its numerals), plan, text, settings, errors — never the ledger or above.
"""
