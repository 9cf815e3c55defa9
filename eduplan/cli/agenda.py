"""``eduplan agenda``: what is due on a day or in a week, overdue items marked."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from eduplan.calendar.holidays import WEEKDAY_NAMES
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
from eduplan.cli.common import parse_day as _parse_day


def _span(item) -> str:
    if item.start == item.end:
        return f"{item.start:%m-%d}（{WEEKDAY_NAMES[item.start.weekday()]}）"
    return f"{item.start:%m-%d}～{item.end:%m-%d}"


def _table(title: str, items, agenda, *, late: bool) -> Table:
    table = Table(title=title, expand=True, title_justify="left")
    table.add_column("日期", no_wrap=True)
    table.add_column("工作事项", ratio=3, overflow="fold")
    table.add_column("责任单位", ratio=1, overflow="fold")
    table.add_column("状态", no_wrap=True)
    for item in items:
        status = agenda.status(item)
        days_late = (agenda.today - item.end).days if late and item.end else 0
        shown = f"[bold red]{status}（{days_late} 天）[/]" if late else status
        if not late and agenda.is_overdue(item):
            shown = f"[bold red]{status}[/]"
        when = "\n".join([_span(item), *agenda.item_notes.get(item.id, [])])
        table.add_row(escape(when), escape(item.title), escape("、".join(item.units)), shown)
    return table


@app.command("agenda")
def agenda_command(
    day: Annotated[
        str | None,
        typer.Option(
            "--date", help="看这一天的事项（如 2021-03-01）；与 --week 同用时指定学期。", show_default=False
        ),
    ] = None,
    week: Annotated[
        int | None,
        typer.Option("--week", help="看本学期第 N 周的事项（0 为预备周）。", min=0, show_default=False),
    ] = None,
    office: OfficeOption = None,
    school: SchoolOption = None,
    bureau: BureauOption = None,
    db: DbOption = None,
    debug: DebugOption = False,
) -> None:
    """列出到期的工作：某一天、某一周（默认本周）的事项，以及此前已逾期未完成的事项。"""

    def work() -> int:
        from eduplan.supervise.agenda import agenda

        when = _parse_day(day)
        with open_sessions(db)() as session:
            result = agenda(session, day=when, week=week, office=office, school=school, bureau=bureau)
        console = Console(highlight=False)
        console.print(f"[bold]{escape(result.label)}[/]")
        for d, name in sorted(result.holidays.items()):
            console.print(f"  🏮 {d:%m-%d} {escape(name)}放假")
        for d, name in sorted(result.workdays.items()):
            console.print(f"  ⚒ {d:%m-%d} {escape(name)}")
        for note in result.notes:
            console.print(f"[yellow]提示：{escape(note)}[/]")
        if result.items:
            console.print(_table(f"到期事项（{len(result.items)} 项）", result.items, result, late=False))
        else:
            console.print("这段时间没有安排事项。")
        if result.overdue:
            console.print(
                _table(f"已逾期未完成（{len(result.overdue)} 项）", result.overdue, result, late=True)
            )
        return 0

    guard(debug, work)
