"""What the ledger says about a term as a document: the half-year summary draft (and its Word
file), year-over-year comparison, past plans, next term's draft from recurring work.

May import: supervise, ledger, calendar, read, plan, text, errors, settings — never notify, demo,
web, bench or cli.
"""
