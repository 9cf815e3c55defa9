"""``eduplan backup FILE`` and ``eduplan restore FILE``: the whole ledger to one file and back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from eduplan.cli.app import app
from eduplan.cli.common import DbOption, DebugOption, guard

ForceBackup = Annotated[bool, typer.Option("--force", help="备份文件已存在时覆盖它。")]
ForceRestore = Annotated[
    bool, typer.Option("--force", help="目标数据库里已有台账数据时，仍用备份整个替换它。")
]


def backup_time(stamp: str) -> str:
    """A backup's UTC timestamp (``2026-12-02T02:05:00+00:00``) as the bureau's local time."""
    from datetime import datetime

    from eduplan.ledger.clock import local_time

    try:
        return local_time(datetime.fromisoformat(stamp))
    except ValueError:
        return stamp


@contextmanager
def _progress(title: str) -> Iterator[Callable[[str, float, float], None]]:
    """A Rich progress bar on a terminal's stderr fed by ``progress(description, done, total)`` callbacks."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, highlight=False)
    with Progress(
        TextColumn(f"[bold]{escape(title)}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # a log or a pipe gets the result line only
    ) as bar:
        task = bar.add_task("", total=1)

        def report(description: str, done: float, total: float) -> None:
            bar.update(task, description=escape(description), completed=done, total=total or 1)

        yield report


@app.command("backup")
def backup_command(
    file: Annotated[Path, typer.Argument(help="备份文件（zip，内含清单 manifest.json 和数据库）。")],
    db: DbOption = None,
    force: ForceBackup = False,
    debug: DebugOption = False,
) -> None:
    """把整个台账（含附件）备份到一个文件，应用运行时也可以备份。

    SQLite 用在线备份得到一致的副本；PostgreSQL 用 pg_dump（须安装与服务器同版本或更新的客户端）。
    """

    def work() -> int:
        from eduplan.ledger.backup import backup

        with _progress("备份") as progress:
            info = backup(db, file, force=force, progress=progress)
        Console(highlight=False).print(escape(f"已备份到 {file}：{info.summary()}"), soft_wrap=True)
        return 0

    guard(debug, work)


@app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="eduplan backup 生成的备份文件。")],
    db: DbOption = None,
    force: ForceRestore = False,
    debug: DebugOption = False,
) -> None:
    """用备份文件整个替换台账，要么全部恢复，要么保持原样；之后升级到最新的数据库结构。

    只能恢复到同一种数据库（SQLite 的备份恢复到 SQLite，PostgreSQL 的恢复到 PostgreSQL）。
    目标已有数据时须加 --force；SQLite 恢复前请先停止 eduplan serve。
    """

    def work() -> int:
        from eduplan.ledger.backup import restore

        with _progress("恢复") as progress:
            info = restore(db, file, force=force, progress=progress)
        Console(highlight=False).print(
            escape(f"已从 {file} 恢复：{info.summary()}（备份于 {backup_time(info.created_at)}）")
        )
        return 0

    guard(debug, work)
