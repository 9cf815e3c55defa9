"""``python -m eduplan.cli``."""

from eduplan.cli import app

if __name__ == "__main__":  # a child process (multiprocessing) imports this module too
    app()
