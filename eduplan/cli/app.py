"""The Typer application and its command groups; commands register themselves in their modules."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="eduplan",
    help="eduplan：把教育局的工作计划、行事历和工作总结读成工作台账，按周、按科室、按学校安排和导出。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
bench_app = typer.Typer(
    help="性能测试：在一个进程内反复处理语料或台账，报告吞吐量、耗时和内存峰值。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(bench_app, name="bench")
