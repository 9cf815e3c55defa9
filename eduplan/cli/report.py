"""``eduplan report``: drafts made from the ledger — ``summary``, the half-year summary (工作总结初稿)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from eduplan.cli.app import app
from eduplan.cli.common import DbOption, DebugOption, guard, open_sessions
from eduplan.errors import EduplanError

report_app = typer.Typer(
    help="根据工作台账起草文稿：半年工作总结初稿。", no_args_is_help=True, add_completion=False
)
app.add_typer(report_app, name="report")


@report_app.command("summary")
def summary_command(
    plan: Annotated[int, typer.Option("--plan", help="计划编号（见 eduplan plans）。", show_default=False)],
    half: Annotated[
        int,
        typer.Option(
            "--half", min=1, max=2, help="1：上半年（1—6月）；2：下半年（7—12月）。", show_default=False
        ),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="输出的 Word 文件（.docx）。", show_default=False)],
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="总结哪一年的上/下半年（默认：计划时间范围内的第一个该半年）。",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    debug: DebugOption = False,
) -> None:
    """半年工作总结初稿（Word）：按计划自身的章节或牵头科室，列出已完成的工作及其完成情况、
    目标完成情况、尚未完成或逾期的工作。"""

    def work() -> int:
        from eduplan.ledger.models import Plan
        from eduplan.reports.summary import build_summary, choose_half
        from eduplan.reports.summary_docx import render_summary_docx

        if out.is_dir():
            raise EduplanError(f"输出位置 {out} 是文件夹，请给出文件名")
        with open_sessions(db)() as session:
            found = session.get(Plan, plan)
            if found is None:
                raise EduplanError(f"没有编号为 {plan} 的计划（见 eduplan plans）")
            summary = build_summary(session, found, choose_half(session, found, half, year))
        data = render_summary_docx(summary)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        except OSError as exc:
            raise EduplanError(f"无法写入 {out}：{exc.strerror or exc}") from None
        c = summary.counts
        Console(highlight=False, soft_wrap=True).print(
            escape(
                f"已写出 {out}：{summary.title}，事项 {c.items} 项（已完成 {c.done}，未完成 {c.unfinished}，"
                f"逾期 {c.late}），目标 {c.targets} 项"
            )
        )
        return 0

    guard(debug, work)
