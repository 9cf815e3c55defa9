"""``eduplan remind``: send each office and school its digest of due, overdue and supervised work."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from eduplan.cli.app import app
from eduplan.cli.common import DbOption, DebugOption, guard, open_sessions, parse_day
from eduplan.errors import EduplanError


@app.command("remind")
def remind_command(
    day: Annotated[
        str | None,
        typer.Option("--date", help="按这一天发送提醒（如 2026-11-23；默认今天）。", show_default=False),
    ] = None,
    db: DbOption = None,
    debug: DebugOption = False,
) -> None:
    """给每个科室和学校发送工作提醒：今日到期、本周到期、已逾期和督办事项。

    可由 cron 每天运行任意多次：同一单位、同一渠道、同一天的提醒只发一次，失败的下次运行重试。
    邮件服务器由环境变量 EDUPLAN_SMTP_HOST 等设置。有发送失败时退出码为 1。
    """

    def work() -> int:
        from eduplan.ledger.clock import today
        from eduplan.notify import CHANNEL_LABELS, remind
        from eduplan.settings import SmtpSettings

        when = parse_day(day) or today()
        try:
            smtp = SmtpSettings.from_env()
        except ValueError as exc:
            raise EduplanError(str(exc)) from None
        result = remind(open_sessions(db), when, smtp=smtp)
        console = Console(highlight=False)
        table = Table(title=f"工作提醒 {when.isoformat()}", title_justify="left")
        for column in ("渠道", "已发送", "已发过（跳过）", "免打扰", "失败"):
            table.add_column(column, no_wrap=True, justify="left" if column == "渠道" else "right")
        for channel, counts in result.counts.items():
            failed = f"[red]{counts.failed}[/]" if counts.failed else "0"
            table.add_row(
                f"{CHANNEL_LABELS[channel]}（{channel}）",
                str(counts.sent),
                str(counts.skipped),
                str(counts.quiet),
                failed,
            )
        console.print(table)
        console.print(
            f"有提醒内容的单位 {result.digests} 个；"
            f"没有到期、逾期或督办事项的单位 {result.empty} 个，不发送。",
            soft_wrap=True,
        )
        quiet = sorted({reason for _, reason in result.quiet_orgs})
        if quiet:
            console.print(
                f"这一天是{'、'.join(quiet)}：{len(result.quiet_orgs)} 个单位设置了免打扰，未发送。",
                soft_wrap=True,
            )
        for org, channel, reason in result.failures:
            console.print(
                f"[red]失败[/]：{escape(org)} · {CHANNEL_LABELS[channel]}：{escape(reason)}", soft_wrap=True
            )
        console.print(result.summary_line(), soft_wrap=True)
        return 1 if result.failed else 0

    guard(debug, work)
