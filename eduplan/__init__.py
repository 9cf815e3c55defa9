"""eduplan: education-bureau work plans and calendars as a living work calendar and task ledger."""

__version__ = "0.1.0"
