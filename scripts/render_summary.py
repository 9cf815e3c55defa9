"""Render half-year summary drafts (``eduplan report summary``) to PNG pages to look at.

    .venv/bin/python scripts/render_summary.py summary.docx              # convert this file
    .venv/bin/python scripts/render_summary.py --plan 1 --half 1         # write the draft first
    .venv/bin/python scripts/render_summary.py --plan 1 --half 1 --db sqlite:////tmp/sum-demo.db

The .docx goes through LibreOffice (headless) to PDF and ``pdftoppm`` to one PNG per page in
``out/preview/`` (``--out`` for another folder; not committed). Needs ``soffice``/``libreoffice``,
``pdftoppm`` and a Chinese font (see ``scripts/render_preview.py``, whose converter this reuses).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from render_preview import DEFAULT_OUT, find_soffice, to_pngs  # noqa: E402


def write_draft(db: str | None, plan_id: int, half: int, year: int | None, out: Path) -> Path:
    """The summary draft of ``plan_id`` as a .docx in ``out`` (the same code as the command)."""
    from eduplan.ledger.db import connect, sessions
    from eduplan.ledger.models import Plan
    from eduplan.reports.summary import build_summary, choose_half
    from eduplan.reports.summary_docx import render_summary_docx

    with sessions(connect(db))() as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise SystemExit(f"没有编号为 {plan_id} 的计划")
        summary = build_summary(session, plan, choose_half(session, plan, half, year))
    path = out / f"summary-plan{plan_id}-{summary.half.year}-h{half}.docx"
    path.write_bytes(render_summary_docx(summary))
    print(f"{path}：{summary.title}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help=".docx files to convert")
    parser.add_argument("--plan", type=int, help="write the draft of this plan first")
    parser.add_argument("--half", type=int, choices=(1, 2), default=1)
    parser.add_argument("--year", type=int)
    parser.add_argument("--db", help="database URL (default: EDUPLAN_DATABASE_URL, else ./eduplan.db)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = list(args.files)
    if args.plan is not None:
        files.append(write_draft(args.db, args.plan, args.half, args.year, out))
    if not files:
        parser.error("give a .docx file or --plan")
    soffice = find_soffice()
    if soffice is None or shutil.which("pdftoppm") is None:
        print("需要 LibreOffice（soffice）和 pdftoppm（poppler-utils）才能生成预览图")
        return 1
    for path in files:
        for png in to_pngs(path, out, soffice):
            print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
