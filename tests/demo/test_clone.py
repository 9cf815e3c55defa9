"""A fresh clone of the repository, with nothing beside it, builds a current demo: ``eduplan
demo`` imports the sample documents dated from today, so this week has work, some past work is
done and nothing is overdue by more than three weeks (far less than a term); ``make run`` names
no path outside the clone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.demo.docs.progress import RECENT
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.models import Item, Plan
from eduplan.supervise.agenda import agenda

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the clone test needs it")
    if subprocess.run(["git", "-C", str(REPO), "rev-parse"], capture_output=True).returncode != 0:
        pytest.skip(f"{REPO} is not a git checkout")
    alone = tmp_path_factory.mktemp("alone")
    target = alone / "eduplan"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(target)], check=True)
    assert [p.name for p in alone.iterdir()] == ["eduplan"]  # nothing beside the clone
    return target


def _run(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUPLAN_")}
    env |= {"PYTHONPATH": str(clone), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, *args], cwd=clone, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_clone_builds_a_current_demo(clone: Path) -> None:
    where = _run(clone, "-c", "import eduplan; print(eduplan.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(clone)  # the clone's code, not this checkout's
    db = clone / "eduplan.db"
    done = _run(clone, "-m", "eduplan.cli", "demo", "--db", f"sqlite:///{db}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "导入 4 个文档（示例文档）" in done.stdout
    assert "失败" not in done.stdout
    today = clock_today()
    engine = create_engine(f"sqlite:///{db}")
    try:
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(Plan)) == 4
            week = agenda(session, bureau=DEMO_BUREAU, today=today)
            due = [v for v in week.items if v.status != "done" and v.end and week.start <= v.end <= week.end]
            assert due, f"nothing due in {week.label}"
            assert week.overdue, "no overdue item to chase"
            late = max((today - v.end).days for v in week.overdue)
            assert 0 < late <= RECENT.days, f"an item is {late} days overdue"
            assert session.scalar(select(func.count()).select_from(Item).where(Item.status == "done")) > 0
    finally:
        engine.dispose()


def test_make_run_uses_no_path_outside_the_clone(clone: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    printed = subprocess.run(
        ["make", "-n", "run"], cwd=clone, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "eduplan demo --db" in printed
    assert "../" not in printed and "--corpus" not in printed, printed


SHARED_USERS = (
    "tests/read/test_txt.py",
    "tests/calendar/test_terms.py",
    "tests/test_property.py",
    "tests/understand/test_metamorphic.py",
    "tests/test_accuracy_floor.py",
    "tests/read/test_fuzz.py::test_corpus_seeds_join_where_present",
)
"""Tests that read ../shared (found with ``grep -rn shared/corpus tests``)."""


def test_tests_that_use_the_shared_folder_skip_in_the_clone_naming_it(clone: Path) -> None:
    env_ci = {k: v for k, v in os.environ.items() if k != "CI"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *SHARED_USERS, "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=clone,
        env=env_ci | {"PYTHONPATH": str(clone)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    skips = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert skips, done.stdout[-3000:]
    beside = str(clone.parent / "shared")
    assert all(beside in line for line in skips), "\n".join(line for line in skips if beside not in line)
    # Under CI the shared folder is required: the run stops instead of skipping.
    ci = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/read/test_txt.py", "-q", "-p", "no:cacheprovider"],
        cwd=clone,
        env=env_ci | {"PYTHONPATH": str(clone), "CI": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ci.returncode != 0 and "CI needs the shared folder" in ci.stdout + ci.stderr
