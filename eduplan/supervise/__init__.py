"""The term's work on the ledger's items: status changes and progress reports, 督办 and 销号,
reminders, target actuals, what is due, and the figures (办结率, overdue).

May import: ledger, calendar, plan, text, errors, settings — never reports, notify, demo, web, bench or cli.
"""
