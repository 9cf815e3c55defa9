"""The sample bureau (``eduplan demo``): its offices, schools and accounts, the documents written
for it (``docs/``), and the progress, 督办 and summary data that show the term's work.

May import: notify, reports, supervise, ledger, documents and below — never web, bench or cli.
"""
