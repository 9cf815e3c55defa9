"""``eduplan export``: the ledger as iCalendar, Excel 行事历, Word tables or plan JSON."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from eduplan.cli.app import app
from eduplan.cli.common import (
    BureauOption,
    DbOption,
    DebugOption,
    OfficeOption,
    SchoolOption,
    guard,
    open_sessions,
)
from eduplan.errors import EduplanError
from eduplan.ledger.exporting import export_bytes


class ExportFormat(StrEnum):
    ics = "ics"
    xlsx = "xlsx"
    docx = "docx"
    json = "json"


class WordLayout(StrEnum):
    month = "month"
    week = "week"


@app.command("export")
def export_command(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            help="ics：手机日历可订阅的 iCalendar；xlsx：打印用的行事历；docx：Word 表格；"
            "json：计划 JSON（可再用 eduplan import 导入）。",
            case_sensitive=False,
        ),
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="输出文件。", show_default=False)],
    plan: Annotated[
        int | None,
        typer.Option("--plan", help="只导出这个计划（编号见 eduplan plans）。", show_default=False),
    ] = None,
    office: OfficeOption = None,
    school: SchoolOption = None,
    bureau: BureauOption = None,
    by_office: Annotated[
        bool, typer.Option("--by-office", help="xlsx：另为每个科室各建一张工作表。")
    ] = False,
    layout: Annotated[
        WordLayout,
        typer.Option(
            "--layout", help="docx：month 为按月的主要工作安排，week 为按周的行事历。", case_sensitive=False
        ),
    ] = WordLayout.month,
    with_status: Annotated[
        bool,
        typer.Option(
            "--with-status", help="xlsx、docx：加一列“状态”（未开始/进行中/已完成/已逾期/已取消）；默认不加。"
        ),
    ] = False,
    db: DbOption = None,
    debug: DebugOption = False,
) -> None:
    """导出工作台账：整个教育局、一个计划，或一个科室、一所学校的事项。"""

    def work() -> int:
        from eduplan.ledger.exporting import Selection

        if out.is_dir():
            raise EduplanError(f"输出位置 {out} 是文件夹，请给出文件名")
        selection = Selection(plan_id=plan, office=office, school=school, bureau=bureau)
        with open_sessions(db)() as session:
            data = export_bytes(
                session, fmt, selection, by_office=by_office, layout=layout.value, with_status=with_status
            )
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        except OSError as exc:
            raise EduplanError(f"无法写入 {out}：{exc.strerror or exc}") from None
        Console(highlight=False).print(escape(f"已导出 {out}（{len(data) / 1024:.1f} KB）"))
        return 0

    guard(debug, work)
