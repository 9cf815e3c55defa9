"""The command line: a thin layer over the core packages (``parse``, ``import``, ``agenda``,
``export``, ``db``, ``bench`` …). Each command lives in its own module and registers itself on
:data:`eduplan.cli.app.app` when imported here."""

from eduplan.cli import agenda, backup, bench, export, jobs, ledger, parse, remind, report, web  # noqa: F401  (registers the commands)
from eduplan.cli.app import app

__all__ = ["app"]
