"""Accuracy floors on the dev corpora: the shared scorer must not drop below these figures.

dev (5 documents) and dev2 (27 documents of other shapes and formats, issue 10) each gate six
figures — exact entries, items, dates, units (departments), targets and document facts — a little
under what the reader reaches now, so a change that loses what it reads shows here.

This is a floor, not a timing. It runs `score_plans.py --parser "<repo>/.venv/bin/eduplan parse"`
(the console script beside this interpreter) and reads the scorer's JSON summary line.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCORER = REPO.parent / "shared" / "tools" / "score_plans.py"
CORPORA = REPO.parent / "shared" / "corpus"

# Measured on 2026-12-02 with ``score_plans.py --parser "eduplan parse"``: dev exact 549/550
# (0.9982), items F1 0.9973, dates 1.0, departments F1 0.9986, targets F1 1.0, facts 1.0; dev2
# exact 567/625 (0.9072), items F1 0.9612, dates 0.9416, departments F1 1.0, targets F1 1.0,
# facts 0.9074. Each dev floor sits about one point under its figure; the dev2 floors are issue
# 10's targets, just under today's figures: a change that loses a few entries, dates or units of
# one corpus fails here, while the reader may improve freely.
FLOORS = {
    "dev": {
        "exact_entry_rate": 0.99,
        "item_f1": 0.99,
        "date_accuracy": 0.99,
        "department_f1": 0.99,
        "target_f1": 0.99,
        "document_facts": 0.99,
    },
    "dev2": {
        "exact_entry_rate": 0.90,
        "item_f1": 0.95,
        "date_accuracy": 0.93,
        "department_f1": 0.99,
        "target_f1": 0.99,
        "document_facts": 0.90,
    },
}


def _parser_command() -> str:
    script = Path(sys.executable).parent / "eduplan"
    if script.exists():
        return f"{shlex.quote(str(script))} parse"
    return f"{shlex.quote(sys.executable)} -m eduplan.cli parse"


_SUMMARIES: dict[str, dict] = {}


def _summary(corpus: str) -> dict:
    if not SCORER.exists():
        pytest.skip(f"the scorer is absent: {SCORER} (the shared folder must sit beside the repository)")
    if corpus not in _SUMMARIES:
        proc = subprocess.run(
            [sys.executable, str(SCORER), "--parser", _parser_command(), "--corpus", str(CORPORA / corpus)],
            capture_output=True,
            timeout=900,
            cwd=REPO,
        )
        out = proc.stdout.decode("utf-8", "replace")
        assert proc.returncode == 0, (
            f"scorer exit {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')}"
        )
        lines = out.strip().splitlines()
        assert len(lines) >= 2, out
        _SUMMARIES[corpus] = json.loads(lines[-2])  # the JSON summary; the last line is for people
    return _SUMMARIES[corpus]


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_no_document_fails(corpus: str) -> None:
    summary = _summary(corpus)
    assert summary["documents"] > 0
    assert summary["failed"] == 0, summary


@pytest.mark.parametrize(
    ("corpus", "figure"),
    [(corpus, figure) for corpus, floors in sorted(FLOORS.items()) for figure in sorted(floors)],
)
def test_figure_at_or_above_floor(corpus: str, figure: str) -> None:
    summary = _summary(corpus)
    value, floor = summary[figure], FLOORS[corpus][figure]
    assert value >= floor, f"{corpus}: {figure} {value} < floor {floor}: {summary}"
