"""Ledger commands: ``import``, ``plans``, ``db``, ``units`` and ``holidays``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from eduplan.cli.app import app
from eduplan.cli.common import (
    BureauOption,
    DbOption,
    DebugOption,
    guard,
    internal_error_line,
    load_limits,
    one_line,
    open_sessions,
)
from eduplan.documents import DOCUMENT_SUFFIXES, PLAN_JSON_SUFFIXES, find_documents
from eduplan.errors import EduplanError

IMPORT_SUFFIXES = DOCUMENT_SUFFIXES + PLAN_JSON_SUFFIXES

db_app = typer.Typer(help="数据库：升级、回退、查看结构版本。", no_args_is_help=True, add_completion=False)
units_app = typer.Typer(
    help="单位（科室、学校）：列出、合并别名。", no_args_is_help=True, add_completion=False
)
holidays_app = typer.Typer(
    help="节假日：录入国务院公布的放假调休安排。", no_args_is_help=True, add_completion=False
)
app.add_typer(db_app, name="db")
app.add_typer(units_app, name="units")
app.add_typer(holidays_app, name="holidays")

ACTOR = "命令行"


def import_files(inputs: list[Path]) -> list[Path]:
    """Files as given, folders searched recursively for documents and plan JSON (gold answers skipped)."""
    found: list[Path] = []
    for given in inputs:
        if not given.exists():
            raise EduplanError(f"找不到文件 {given}")
        if given.is_dir():
            found += find_documents(given, IMPORT_SUFFIXES)
        else:
            found.append(given)
    return list(dict.fromkeys(found))


@app.command("import")
def import_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="要导入的文档（.txt .htm .html .docx .xlsx .pdf，或导出的计划 .json），或文件夹。"
        ),
    ],
    db: DbOption = None,
    bureau: Annotated[
        str | None,
        typer.Option("--bureau", help="归入哪个教育局（默认用文档的发文单位）。", show_default=False),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help="文档没有写明年份时假定的年份。", show_default=False),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """读取文档并存入工作台账，显示进度。

    同一文件再次导入不作改动；同一计划的修订版另存为新版本，并列出新增、删除、修改的事项，
    已记录的进度保留在未变和修改过的事项上。有文件失败时退出码为 1。
    """

    def work() -> int:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from eduplan.ledger.corrections import describe_change, import_with_corrections
        from eduplan.supervise.assignments import distribute_plan

        paths = import_files(files)
        if not paths:
            raise EduplanError("没有找到可导入的文档")
        limits = load_limits()
        factory = open_sessions(db)
        console = Console(highlight=False)
        failed = 0
        with Progress(
            TextColumn("[bold]导入"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True, highlight=False),
        ) as progress:
            task = progress.add_task("", total=len(paths))
            for path in paths:
                progress.update(task, description=escape(path.name))
                try:
                    if path.stat().st_size > limits.max_file_bytes:
                        from eduplan.read.sizes import file_too_big

                        raise file_too_big(path.stat().st_size, limits.max_file_bytes)
                    with factory.begin() as session:
                        result, fixes = import_with_corrections(
                            session,
                            path.read_bytes(),
                            path.name,
                            bureau=bureau,
                            actor=ACTOR,
                            year=year,
                            limits=limits,
                        )
                        distribute_plan(session, result.plan_id, ACTOR)  # 分发 to member schools
                    progress.console.print(escape(f"✓ {path.name} → {result.bureau} · {result.summary()}"))
                    if fixes.applied or fixes.conflicts:
                        progress.console.print(
                            escape(
                                f"    以前的更正：重新应用 {len(fixes.applied)} 条，"
                                f"冲突 {len(fixes.conflicts)} 条（未应用，按新读取的内容导入）"
                            )
                        )
                    for change, reason in fixes.conflicts:
                        progress.console.print(
                            escape(f"    冲突：{one_line(describe_change(change))}：{reason}")
                        )
                    for label, titles in (
                        ("新增", result.added),
                        ("删除", result.removed),
                        ("修改", result.changed),
                    ):
                        for title in titles:
                            progress.console.print(escape(f"    {label}：{one_line(title)}"))
                except EduplanError as exc:
                    failed += 1
                    progress.console.print(escape(one_line(f"错误：{path}：{exc}")), soft_wrap=True)
                except Exception as exc:
                    if debug:
                        raise
                    failed += 1
                    progress.console.print(escape(f"{path}：{internal_error_line(exc)}"), soft_wrap=True)
                progress.advance(task)
        console.print(f"文件数 {len(paths)} · 成功 {len(paths) - failed} · 失败 {failed}")
        return 1 if failed else 0

    guard(debug, work)


@app.command("plans")
def plans_command(db: DbOption = None, bureau: BureauOption = None, debug: DebugOption = False) -> None:
    """列出台账里的计划：编号、教育局、标题、版本、事项数。"""

    def work() -> int:
        from sqlalchemy import func, select

        from eduplan.ledger.models import Item, Organisation, Plan
        from eduplan.ledger.queries import resolve_bureau

        with open_sessions(db)() as session:
            owner = resolve_bureau(session, bureau)
            live = (
                select(Item.plan_id, func.count().label("n"))
                .where(Item.removed_in.is_(None))
                .group_by(Item.plan_id)
                .subquery()
            )
            query = (
                select(Plan, Organisation.name, live.c.n)
                .join(Organisation, Organisation.id == Plan.bureau_id)
                .outerjoin(live, live.c.plan_id == Plan.id)
                .order_by(Plan.id)
            )
            if owner is not None:
                query = query.where(Plan.bureau_id == owner.id)
            table = Table(title="已导入的计划")
            for column in ("编号", "教育局", "标题", "版本", "事项"):
                table.add_column(column)
            for plan, bureau_name, count in session.execute(query):
                table.add_row(
                    str(plan.id),
                    escape(bureau_name),
                    escape(plan.title or "（无标题）"),
                    str(plan.current_version),
                    str(count or 0),
                )
            Console(highlight=False).print(table)
        return 0

    guard(debug, work)


# ---------------------------------------------------------------- db


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None, debug: DebugOption = False) -> None:
    """把数据库结构升级到最新版本（首次使用时会自动执行）。"""

    def work() -> int:
        from eduplan.ledger import migrate
        from eduplan.ledger.db import connect

        engine = connect(db, upgrade=False)
        before = migrate.current(engine)
        migrate.upgrade(engine)
        Console(highlight=False).print(f"数据库结构：{before or '空'} → {migrate.current(engine)}")
        return 0

    guard(debug, work)


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="回退到的版本号（base 表示清空全部表）。")],
    db: DbOption = None,
    debug: DebugOption = False,
) -> None:
    """把数据库结构回退到指定版本（会删除较新版本建立的表和数据）。"""

    def work() -> int:
        from eduplan.ledger import migrate
        from eduplan.ledger.db import connect

        engine = connect(db, upgrade=False)
        migrate.downgrade(engine, revision)
        Console(highlight=False).print(f"数据库结构：现为 {migrate.current(engine) or '空'}")
        return 0

    guard(debug, work)


@db_app.command("current")
def db_current(db: DbOption = None, debug: DebugOption = False) -> None:
    """显示数据库结构的当前版本和最新版本。"""

    def work() -> int:
        from eduplan.ledger import migrate
        from eduplan.ledger.db import connect

        engine = connect(db, upgrade=False)
        Console(highlight=False).print(f"当前 {migrate.current(engine) or '空'} · 最新 {migrate.head()}")
        return 0

    guard(debug, work)


# ---------------------------------------------------------------- units


@units_app.command("list")
def units_list(
    db: DbOption = None,
    bureau: BureauOption = None,
    review: Annotated[bool, typer.Option("--review", help="只列出导入时新建、待核对的单位。")] = False,
    debug: DebugOption = False,
) -> None:
    """列出各教育局的科室、学校和“各学校”之类的统称。"""

    def work() -> int:
        from sqlalchemy import select

        from eduplan.ledger.models import Organisation
        from eduplan.ledger.queries import resolve_bureau

        kinds = {"office": "科室", "school": "学校", "group": "统称"}
        with open_sessions(db)() as session:
            owner = resolve_bureau(session, bureau)
            query = select(Organisation).where(
                Organisation.kind != "bureau", Organisation.merged_into_id.is_(None)
            )
            if owner is not None:
                query = query.where(Organisation.bureau_id == owner.id)
            if review:
                query = query.where(Organisation.needs_review.is_(True))
            table = Table(title="单位")
            for column in ("编号", "名称", "类别", "待核对"):
                table.add_column(column)
            for org in session.scalars(
                query.order_by(Organisation.bureau_id, Organisation.kind, Organisation.id)
            ):
                table.add_row(
                    str(org.id),
                    escape(org.name),
                    kinds.get(org.kind, org.kind),
                    "是" if org.needs_review else "",
                )
            Console(highlight=False).print(table)
        return 0

    guard(debug, work)


@units_app.command("merge")
def units_merge(
    alias: Annotated[str, typer.Argument(help="要并入的名称（如 基础教育股）。")],
    into: Annotated[str, typer.Argument(help="保留的名称（如 基教股）。")],
    bureau: Annotated[str, typer.Option("--bureau", help="教育局名称。")],
    db: DbOption = None,
    debug: DebugOption = False,
) -> None:
    """把一个单位并入另一个（别名）：事项随之转移，以后导入时自动归到保留的名称。"""

    def work() -> int:
        from eduplan.ledger.orgs import merge
        from eduplan.ledger.queries import resolve_bureau

        with open_sessions(db).begin() as session:
            owner = resolve_bureau(session, bureau)
            target = merge(session, owner, alias, into, ACTOR)
            Console(highlight=False).print(escape(f"已把“{alias}”并入“{target.name}”"))
        return 0

    guard(debug, work)


# ---------------------------------------------------------------- holidays


@holidays_app.command("add")
def holidays_add(
    file: Annotated[
        Path,
        typer.Argument(
            help="放假调休安排文本：每行“日期[..日期] 名称 休/班”，如 2027-10-01..2027-10-07 国庆节 休。"
        ),
    ],
    db: DbOption = None,
    debug: DebugOption = False,
) -> None:
    """录入一年的法定节假日和调休上班日（系统自带的放假安排没有的年份，或更正它）。"""

    def work() -> int:
        from eduplan.calendar.holidays import parse_overrides
        from eduplan.ledger.holidays import store_overrides

        if not file.is_file():
            raise EduplanError(f"找不到文件 {file}")
        try:
            overrides = parse_overrides(file.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            raise EduplanError(f"{file} 不是 UTF-8 文本") from None
        except ValueError as exc:
            raise EduplanError(str(exc)) from None
        with open_sessions(db).begin() as session:
            count = store_overrides(session, overrides, ACTOR)
        Console(highlight=False).print(f"已录入 {count} 天")
        return 0

    guard(debug, work)
