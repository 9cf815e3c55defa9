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
