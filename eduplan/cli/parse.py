"""``eduplan parse``: read documents and print or write their plans."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from eduplan.cli.app import app
from eduplan.cli.common import (
    DebugOption,
    debug_enabled,
    guard,
    internal_error_line,
    load_limits,
    one_line,
    print_error,
    write_stdout_bytes,
)
from eduplan.documents import DOCUMENT_SUFFIXES, find_documents
from eduplan.errors import EduplanError

if TYPE_CHECKING:
    from eduplan.plan import Plan
    from eduplan.settings import Limits

KIND_LABELS = {"calendar": "行事历", "plan": "计划", "summary": "总结", "compilation": "汇编"}
OP_LABELS = {">=": "≥", "<=": "≤", "=": "=", "~": "约", "<": "<", ">": ">"}
LOW_CONFIDENCE = 0.6


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


def parse_path(path: Path, year: int | None = None, limits: Limits | None = None) -> Plan:
    """Read one document and understand it into a Plan."""
    from eduplan.read import read_file
    from eduplan.understand import understand

    if not path.exists():
        raise EduplanError(f"找不到文件 {path}")
    if path.is_dir():
        raise EduplanError(f"{path} 是文件夹，不是文件")
    doc = read_file(path, limits=limits)
    return understand(doc, year=year)


@dataclass
class Job:
    """One document to parse and where its JSON goes."""

    path: Path
    out_name: str


def collect_documents(inputs: Iterable[Path]) -> list[Job]:
    """Files as given, and folders searched recursively for documents (gold answers skipped)."""
    found: list[tuple[Path, Path]] = []  # (file, path relative to the folder it came from)
    for given in inputs:
        if not given.exists():
            raise EduplanError(f"找不到文件 {given}")
        if given.is_dir():
            found += [(path, path.relative_to(given)) for path in find_documents(given)]
        else:
            found.append((given, Path(given.name)))
    # NAME.json by default; the file's suffix is kept where two documents share a stem.
    stems: dict[Path, int] = {}
    for _, rel in found:
        key = rel.with_suffix("")
        stems[key] = stems.get(key, 0) + 1
    jobs = []
    seen: set[str] = set()
    for path, rel in found:
        base = rel.with_suffix("") if stems[rel.with_suffix("")] == 1 else rel
        out_name = base.as_posix() + ".json"
        if out_name in seen:  # the same file given twice
            continue
        seen.add(out_name)
        jobs.append(Job(path, out_name))
    return jobs


def _check_year(year: int | None) -> None:
    if year is not None and not 1900 <= year <= 2200:
        raise EduplanError(f"年份 {year} 不合理，请给出四位公历年份，如 2021")


def plan_json_bytes(plan: Plan, indent: int | None = 2) -> bytes:
    return (json.dumps(plan.to_json(), ensure_ascii=False, indent=indent) + "\n").encode("utf-8")


# ---------------------------------------------------------------- the table view


def _span(start: str | None, end: str | None) -> str:
    """``2021-03-01～03-07`` within a year, ``2020-12-28～2021-01-03`` across one."""
    if not start and not end:
        return "—"
    if start == end:
        return start or "—"
    if start and end and start[:4] == end[:4]:
        return f"{start}～{end[5:]}"
    return f"{start or '?'}～{end or '?'}"


def render_plan(plan: Plan, console: Console, name: str | None = None) -> None:
    """The view for a person: header, items, targets, warnings."""
    data = plan.to_json()
    period = data.get("period") or {}
    header = Table.grid(padding=(0, 2))
    header.add_column(style="bold")
    header.add_column()
    if name:
        header.add_row("文件", escape(name))
    header.add_row("标题", escape(data.get("title") or "（未识别）"))
    header.add_row("发文单位", escape(data.get("issuer") or "（未识别）"))
    header.add_row("类型", KIND_LABELS.get(data.get("kind") or "", str(data.get("kind"))))
    header.add_row("时段", _span(period.get("start"), period.get("end")))
    console.print(header)

    items = data.get("items") or []
    table = Table(title=f"工作事项（{len(items)} 项）", expand=True)
    table.add_column("行", justify="right", style="dim", no_wrap=True)
    table.add_column("起止日期", no_wrap=True)
    table.add_column("工作事项", ratio=3, overflow="fold")
    table.add_column("责任单位", ratio=1, overflow="fold")
    table.add_column("置信度", justify="right", no_wrap=True)
    for item in items:
        confidence = item.get("confidence")
        conf_text = "—" if confidence is None else f"{confidence:.2f}"
        if confidence is not None and confidence < LOW_CONFIDENCE:
            conf_text = f"[bold red]{conf_text}[/]"
        table.add_row(
            str((item.get("source") or {}).get("line", "")),
            _span(item.get("start"), item.get("end")),
            escape(item.get("title") or item.get("text") or ""),
            escape("、".join(item.get("departments") or [])),
            conf_text,
        )
    console.print(table)

    targets = data.get("targets") or []
    if targets:
        ttable = Table(title=f"量化指标（{len(targets)} 项）")
        ttable.add_column("指标", ratio=3, overflow="fold")
        ttable.add_column("目标", justify="right", no_wrap=True)
        ttable.add_column("单位", no_wrap=True)
        for target in targets:
            ttable.add_row(
                escape(target.get("indicator") or ""),
                f"{OP_LABELS.get(target.get('op'), target.get('op'))} {target.get('value')}",
                escape(target.get("unit") or ""),
            )
        console.print(ttable)

    warnings = data.get("warnings") or []
    if warnings:
        console.print(f"[bold yellow]提示（{len(warnings)} 条）[/]")
        for warning in warnings:
            console.print(f"  ⚠ {escape(str(warning))}")


# ---------------------------------------------------------------- parse


@app.command("parse")
def parse_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="要读取的文档（.txt .htm .html .docx .xlsx .pdf），或文件夹（递归查找其中的文档）。",
            show_default=False,
        ),
    ],
    year: Annotated[
        int | None,
        typer.Option("--year", help="文档没有写明年份时（如“20xx年”）假定的年份。", show_default=False),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            help="输出格式：json 输出计划 JSON（eduplan.plan/1）；table 输出给人看的表格。",
            case_sensitive=False,
        ),
    ] = OutputFormat.json,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="输出文件夹：每个文档的结果写入 DIR/NAME.json（多个文件或文件夹时必须给出；"
            "不存在会自动创建）。",
            show_default=False,
        ),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """读取工作计划、行事历或工作总结，输出结构化的计划。

    一个文件：JSON 或表格输出到屏幕。多个文件或文件夹：显示进度条，每个结果写入
    --out 指定的文件夹，最后给出汇总（文件数、事项数、失败数）；有文件失败时退出码为 1。
    用 --format table 且不给 --out 时，多个文件的表格依次输出到屏幕。
    """

    def work() -> int:
        _check_year(year)
        limits = load_limits()
        single = len(files) == 1 and not files[0].is_dir() and out is None
        if single:
            plan = parse_path(files[0], year=year, limits=limits)
            if output_format is OutputFormat.json:
                write_stdout_bytes(plan_json_bytes(plan))
            else:
                render_plan(plan, Console(highlight=False, soft_wrap=False))
            return 0
        jobs = collect_documents(files)
        if not jobs:
            raise EduplanError("没有找到可读取的文档（支持 " + " ".join(DOCUMENT_SUFFIXES) + "）")
        if out is None:
            if output_format is OutputFormat.table:
                return _parse_many_to_screen(jobs, year, limits, debug_enabled(debug))
            raise EduplanError("读取多个文件或文件夹时，请用 --out 指定输出文件夹")
        return _parse_many_to_folder(jobs, out, year, limits, debug_enabled(debug))

    guard(debug, work)


def _summary_line(files: int, items: int, failed: int) -> str:
    return f"文件数 {files} · 事项数 {items} · 失败数 {failed}"


def _parse_many_to_screen(jobs: list[Job], year: int | None, limits: Limits, debug: bool) -> int:
    console = Console(highlight=False)
    items = failed = 0
    for job in jobs:
        console.rule(escape(str(job.path)))
        try:
            plan = parse_path(job.path, year=year, limits=limits)
        except EduplanError as exc:
            failed += 1
            print_error(f"错误：{job.path}：{exc}")
            continue
        except Exception as exc:
            if debug:
                raise
            failed += 1
            print_error(f"{job.path}：{internal_error_line(exc)}")
            continue
        items += len(plan.items)
        render_plan(plan, console)
        console.print()
    console.print(_summary_line(len(jobs), items, failed))
    return 1 if failed else 0


def _parse_many_to_folder(jobs: list[Job], out: Path, year: int | None, limits: Limits, debug: bool) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if out.exists() and not out.is_dir():
        raise EduplanError(f"输出位置 {out} 已存在且不是文件夹")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EduplanError(f"无法创建输出文件夹 {out}：{exc.strerror or exc}") from None
    err_console = Console(stderr=True, highlight=False)
    items = failed = 0
    with Progress(
        TextColumn("[bold]解析"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err_console,
    ) as progress:
        task = progress.add_task("", total=len(jobs))
        for job in jobs:
            progress.update(task, description=escape(job.path.name))
            try:
                plan = parse_path(job.path, year=year, limits=limits)
                target = out / job.out_name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(plan_json_bytes(plan))
                items += len(plan.items)
            except EduplanError as exc:
                failed += 1
                progress.console.print(escape(one_line(f"错误：{job.path}：{exc}")), soft_wrap=True)
            except Exception as exc:
                if debug:
                    raise
                failed += 1
                progress.console.print(escape(f"{job.path}：{internal_error_line(exc)}"), soft_wrap=True)
            progress.advance(task)
    Console(highlight=False).print(_summary_line(len(jobs), items, failed))
    return 1 if failed else 0
