"""``python -m eduplan.cli``."""

from eduplan.cli import app

app()
