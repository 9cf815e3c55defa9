"""Accuracy floor on the dev corpus: the shared scorer must not drop below the issue's figures.

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
CORPUS = REPO.parent / "shared" / "corpus" / "dev"

FLOORS = {
    "exact_entry_rate": 0.90,
    "item_f1": 0.95,
    "target_f1": 0.85,
    "document_facts": 0.90,
}


def _parser_command() -> str:
    script = Path(sys.executable).parent / "eduplan"
    if script.exists():
        return f"{shlex.quote(str(script))} parse"
    return f"{shlex.quote(sys.executable)} -m eduplan.cli parse"


@pytest.fixture(scope="module")
def summary() -> dict:
    if not SCORER.exists():
        pytest.skip(f"the scorer is absent: {SCORER} (the shared folder must sit beside the repository)")
    proc = subprocess.run(
        [sys.executable, str(SCORER), "--parser", _parser_command(), "--corpus", str(CORPUS)],
        capture_output=True,
        timeout=600,
        cwd=REPO,
    )
    out = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode == 0, f"scorer exit {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')}"
    lines = out.strip().splitlines()
    assert len(lines) >= 2, out
    return json.loads(lines[-2])  # the JSON summary; the last line is the headline for people


def test_no_document_fails(summary: dict) -> None:
    assert summary["documents"] > 0
    assert summary["failed"] == 0, summary


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_figure_at_or_above_floor(summary: dict, figure: str) -> None:
    value, floor = summary[figure], FLOORS[figure]
    assert value >= floor, f"{figure} {value} < floor {floor}: {summary}"
