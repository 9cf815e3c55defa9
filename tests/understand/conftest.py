"""Fixtures shared by the understanding stage's tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def corpus_lines(shared_folder: Path) -> list[str]:
    """The non-blank lines of the dev and dev2 text documents (the first 400 of each), as the
    speed gates' comparisons with the long way round read them; skips without the corpora."""
    lines: list[str] = []
    for corpus in ("dev", "dev2"):
        for path in sorted((shared_folder / "corpus" / corpus).glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            lines += [line for line in text.splitlines()[:400] if line.strip()]
    return lines
