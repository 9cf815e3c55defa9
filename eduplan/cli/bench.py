"""``eduplan bench …``: throughput figures printed for people (never pass/fail)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from eduplan.cli.app import bench_app
from eduplan.cli.common import DebugOption, guard, load_limits


@bench_app.command("parse")
def bench_parse_command(
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="语料文件夹（默认：仓库旁的 ../shared/corpus/dev）。",
            show_default=False,
        ),
    ] = None,
    runs: Annotated[
        int,
        typer.Option("--runs", help="计时轮数（先预热一轮），取中位数。", min=1),
    ] = 5,
    debug: DebugOption = False,
) -> None:
    """测量解析速度：每秒文档数、KB/s、与“只读取并规范化文本”的下限之比，以及内存峰值。"""

    def work() -> int:
        from eduplan.bench import bench_parse, default_corpus, report_lines

        folder = corpus if corpus is not None else default_corpus()
        result = bench_parse(folder, runs=runs, limits=load_limits())
        console = Console(highlight=False)
        for line in report_lines(result):
            console.print(escape(line), soft_wrap=True)
        return 0

    guard(debug, work)


@bench_app.command("ledger")
def bench_ledger_command(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="数据库：不给则用临时 SQLite 文件；PostgreSQL 地址则在其中新建临时 schema，测完删除。",
            show_default=False,
        ),
    ] = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus", help="语料文件夹（默认：仓库旁的 ../shared/corpus/dev）。", show_default=False
        ),
    ] = None,
    copies: Annotated[int, typer.Option("--copies", help="导入份数（每份一个教育局）。", min=1)] = 100,
    debug: DebugOption = False,
) -> None:
    """测量台账速度：把语料导入新数据库 N 次（每秒事项数），
    再导出一个科室的 iCalendar 和一学期的 Excel 行事历（毫秒）。"""

    def work() -> int:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from eduplan.bench import corpus_documents, default_corpus
        from eduplan.ledger.bench import bench_ledger, summary_line

        folder = corpus if corpus is not None else default_corpus()
        documents = [(p.name, p.read_bytes()) for p in corpus_documents(folder)]
        with Progress(
            TextColumn("[bold]导入"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True, highlight=False),
            transient=True,
        ) as progress:
            task = progress.add_task("", total=copies)
            result = bench_ledger(
                documents, db, copies, lambda done, total: progress.update(task, completed=done)
            )
        Console(highlight=False).print(escape(summary_line(result)), soft_wrap=True)
        return 0

    guard(debug, work)
