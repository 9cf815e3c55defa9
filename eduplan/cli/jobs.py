"""``eduplan worker``: work the job queue of a deployment of several processes (procrastinate)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from eduplan.cli.app import app
from eduplan.cli.common import DbOption, DebugOption, guard
from eduplan.errors import EduplanError


@app.command("worker")
def worker_command(
    once: Annotated[
        bool,
        typer.Option("--once", help="处理完队列里已有的任务就退出（默认一直运行，按 Ctrl+C 停止）。"),
    ] = False,
    db: DbOption = None,
    debug: DebugOption = False,
) -> None:
    """处理后台任务队列（按 README 把 EDUPLAN_JOB_QUEUE 设为 PostgreSQL 任务队列时使用）：读取网页上传的文件，
    并按 EDUPLAN_REMIND_CRON（默认每天北京时间 7:30）发送工作提醒，可代替 cron 里的 eduplan remind。

    可在一台或几台机器上各运行一个或多个；每个文件仍在有内存和时间上限的子进程中读取。
    """

    def work() -> int:
        from eduplan.jobs.queue import remind_cron, run_worker
        from eduplan.settings import database_url

        url = db or database_url()
        if not url.startswith("postgresql"):
            raise EduplanError("eduplan worker 需要 PostgreSQL 数据库（--db 或 EDUPLAN_DATABASE_URL）")
        console = Console(highlight=False, stderr=True)
        console.print(f"eduplan 后台任务：处理导入文件；提醒按 cron “{remind_cron()}”（UTC）发送")
        run_worker(url, once=once)
        return 0

    guard(debug, work)
