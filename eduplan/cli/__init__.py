"""The command line, one module per command group, each registering itself on
:data:`eduplan.cli.app.app` when imported here.

May import: every stage; nothing imports cli."""

from eduplan.cli import agenda, backup, bench, export, jobs, ledger, parse, remind, report, web  # noqa: F401  (registers the commands)
from eduplan.cli.app import app

__all__ = ["app"]
