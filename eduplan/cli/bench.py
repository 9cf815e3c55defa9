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
        list[Path] | None,
        typer.Option(
            "--corpus",
            help="语料文件夹，可给多次（默认：仓库旁的 ../shared/corpus/dev 和 dev2 中存在的）。",
            show_default=False,
        ),
    ] = None,
    runs: Annotated[
        int,
        typer.Option("--runs", help="计时轮数（先预热一轮），取中位数。", min=1),
    ] = 5,
    debug: DebugOption = False,
) -> None:
    """测量理解速度：对读出的文字每秒多少 MB（单核 CPU 时间），与“只解码并规范化同样文字”的下限之比，
    各格式的读取耗时（PDF 提取单独列出），以及内存峰值。"""

    def work() -> int:
        from eduplan.bench.parse import bench_parse, default_corpora, report_lines

        folders = list(corpus) if corpus else default_corpora()
        result = bench_parse(folders, runs=runs, limits=load_limits())
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

        from eduplan.bench.ledger import bench_ledger, summary_line
        from eduplan.bench.parse import corpus_documents, default_corpus

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


@bench_app.command("load")
def bench_load_command(
    writers: Annotated[int, typer.Option("--writers", help="并发写入的客户端数。", min=1)] = 50,
    seconds: Annotated[float, typer.Option("--seconds", help="持续秒数。", min=1)] = 60.0,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            "--db",
            help="数据库：不给则用临时 SQLite 文件（WAL）；PostgreSQL 地址则新建临时 schema，测完删除。",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="服务器进程数（多进程请用 PostgreSQL）。", min=1)
    ] = 1,
    debug: DebugOption = False,
) -> None:
    """压力测试：启动真实服务器，多个客户端同时用 API 令牌填报进度、修改状态（带修订号），
    统计请求数、各状态码、5xx、延迟和吞吐，并核对丢失的更新（接受的填报与入库行数之差）
    和修订号。有 5xx、连接失败、丢失更新或修订号不符时退出码为 1。"""

    def work() -> int:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from eduplan.bench.load import bench_load, report_lines

        with Progress(
            TextColumn("[bold]压测"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True, highlight=False),
            transient=True,
        ) as progress:
            task = progress.add_task("", total=seconds)
            result = bench_load(
                writers,
                seconds,
                database_url,
                lambda done: progress.update(task, completed=done),
                workers=workers,
            )
        console = Console(highlight=False)
        for line in report_lines(result):
            console.print(escape(line), soft_wrap=True)
        return 0 if result.ok else 1

    guard(debug, work)


@bench_app.command("web")
def bench_web_command(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            "--db",
            help="数据库：不给则用临时 SQLite 文件（WAL）；PostgreSQL 地址则新建临时 schema，测完删除。",
            show_default=False,
        ),
    ] = None,
    bureaus: Annotated[
        int, typer.Option("--bureaus", help="教育局数（第一个是示例县教育局）。", min=1)
    ] = 105,
    plans: Annotated[int, typer.Option("--plans", help="每个教育局的计划数。", min=1)] = 5,
    items: Annotated[int, typer.Option("--items", help="每个计划的事项数。", min=1)] = 100,
    reports: Annotated[int, typer.Option("--reports", help="每个事项的进度报告数。", min=0)] = 4,
    workers: Annotated[
        int, typer.Option("--workers", help="除 1 个进程外，再用这么多服务器进程各测一遍。", min=1)
    ] = 2,
    requests: Annotated[
        int, typer.Option("--requests", help="每个页面、每种设置发出的请求数（至少每个连接一个）。", min=1)
    ] = 40,
    reuse: Annotated[
        bool,
        typer.Option(
            "--reuse",
            help="沿用 --db 指定的 SQLite 文件：已存在则直接测页面（不再新建、导入，规模以文件为准）；"
            "不存在则在那里新建并保留，下次可再用。仅限 SQLite。",
        ),
    ] = False,
    import_only: Annotated[
        bool,
        typer.Option("--import-only", help="只建库并打印导入和进度报告的速度，不启动服务器、不测页面。"),
    ] = False,
    debug: DebugOption = False,
) -> None:
    """省级规模的网页测速：新建数据库，导入 N 个教育局的计划（默认 105 个、52,500 个事项、21 万条进度报告，
    打印每秒导入事项数），启动真实服务器（1 个进程和 --workers 个进程），以管理员身份分别用 1 个和 8 个连接
    访问工作台、行事历（周、月）、事项页、督办、.ics 订阅、API 事项列表和一个静态文件，
    打印各自的 p50/p95 和负载。只打印数字，不判定通过与否。"""

    def work() -> int:
        import sys

        from eduplan.bench.web import Scale, bench_web, report_lines

        result = bench_web(
            database_url,
            Scale(bureaus=bureaus, plans=plans, items=items, reports=reports),
            workers=workers,
            requests=requests,
            progress=lambda line: print(line, file=sys.stderr, flush=True),
            reuse=reuse,
            import_only=import_only,
        )
        console = Console(highlight=False)
        for line in report_lines(result):
            console.print(escape(line), soft_wrap=True)
        return 0

    guard(debug, work)


@bench_app.command("burst")
def bench_burst_command(
    requests: Annotated[int, typer.Option("--requests", help="同时发出的请求数。", min=1)] = 1000,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            "--db",
            help="数据库：不给则用临时 SQLite 文件（WAL）；PostgreSQL 地址则新建临时 schema，测完删除。",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="服务器进程数。", min=1)] = 1,
    debug: DebugOption = False,
) -> None:
    """突发访问测试：启动真实服务器，一个已登录用户同时打开许多事项页，统计各状态码（只应有 2xx 和 503）、
    应答时间，随后取一个静态文件，最后用 SIGTERM 停止服务器并计时。有 500、连接失败或超时时退出码为 1。"""

    def work() -> int:
        from eduplan.bench.load import bench_burst, burst_lines

        result = bench_burst(requests, database_url, workers)
        console = Console(highlight=False)
        for line in burst_lines(result):
            console.print(escape(line), soft_wrap=True)
        return 0 if result.ok else 1

    guard(debug, work)


@bench_app.command("trickle")
def bench_trickle_command(
    seconds: Annotated[float, typer.Option("--seconds", help="慢速上传持续秒数。", min=1)] = 20.0,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", "--db", help="数据库（同 bench load）。", show_default=False),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """慢速上传测试：已登录用户用几秒一个字节的速度提交进度表单，同时另一个客户端不断用 API 填报；
    打印表单的应答和这些写入的 p50/p95/最大延迟。"""

    def work() -> int:
        from eduplan.bench.load import bench_trickle

        console = Console(highlight=False)
        for line in bench_trickle(seconds, database_url):
            console.print(escape(line), soft_wrap=True)
        return 0

    guard(debug, work)


@bench_app.command("import-load")
def bench_import_load_command(
    rows: Annotated[int, typer.Option("--rows", help="工作簿的行数。", min=1)] = 1000,
    columns: Annotated[
        int, typer.Option("--columns", help="工作簿的列数（默认 1000 行 × 1000 列，一百万个单元格）。", min=1)
    ] = 1000,
    seconds: Annotated[
        float, typer.Option("--seconds", help="最多等待读取多少秒（也是子进程的时间上限）。", min=1)
    ] = 300.0,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", "--db", help="数据库（同 bench load）。", show_default=False),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """导入大文件时其他请求的速度：向真实服务器上传一百万个单元格的 Excel 文件，在它后台读取期间
    不断打开事项页和 API 列表，打印这些请求的 p50/p95/最大延迟，以及服务器进程读取前、中、后的内存。"""

    def work() -> int:
        from eduplan.bench.import_load import bench_import_load

        console = Console(highlight=False)
        for line in bench_import_load(rows, columns, seconds, database_url):
            console.print(escape(line), soft_wrap=True)
        return 0

    guard(debug, work)


@bench_app.command("fuzz")
def bench_fuzz_command(
    cases: Annotated[int, typer.Option("--cases", help="用例数。", min=1)] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="随机种子：同一种子生成同样的用例。")] = 0,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus", help="语料文件夹（默认：仓库旁的 ../shared/corpus/dev）。", show_default=False
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", help="崩溃和超时用例的重现文件保存到这里。"),
    ] = Path("out/fuzz"),
    jobs: Annotated[int, typer.Option("--jobs", help="并行进程数（每个用例照样单独计时）。", min=1)] = 1,
    debug: DebugOption = False,
) -> None:
    """模糊测试：把语料改写成各种格式并随机破坏（翻转字节、截断、损坏压缩包部件、超长行、深层嵌套、
    恶意文字），逐个走完“读取 → 理解”全流程；报告用例数、拒绝数、崩溃数和最慢用例耗时。
    每个用例的耗时按 CPU 时间计（机器繁忙时墙钟会变长）。有崩溃或最慢用例达到 1 秒时退出码为 1。"""

    def work() -> int:
        import sys

        from eduplan.bench.fuzz import FuzzResult, report_lines, run_fuzz
        from eduplan.bench.parse import default_corpus

        folder = corpus if corpus is not None else default_corpus()
        step = max(cases // 20, 1)
        shown = [0]

        def progress(result: FuzzResult, total: int) -> None:
            if result.cases >= shown[0] + step or result.cases == total:
                shown[0] = result.cases
                print(
                    f"已运行 {result.cases}/{total} 个用例：拒绝 {result.refused}，"
                    f"崩溃 {len(result.crashes)}，最慢 {result.slowest_seconds:.3f} 秒 CPU",
                    file=sys.stderr,
                    flush=True,
                )

        result = run_fuzz(cases, seed, folder, out, load_limits(), progress, jobs=jobs)
        console = Console(highlight=False)
        for line in report_lines(result, seed):
            console.print(escape(line), soft_wrap=True)
        sys.stdout.flush()
        return 0 if result.ok else 1

    guard(debug, work)


@bench_app.command("login")
def bench_login_command(
    runs: Annotated[
        int, typer.Option("--runs", help="每种情况登录几次（先预热一轮），取中位数。", min=1)
    ] = 15,
    debug: DebugOption = False,
) -> None:
    """登录耗时：真实账号输错密码、不存在的用户名、已停用账号，三者应相差无几（用时不泄露哪些用户名存在）。"""

    def work() -> int:
        from eduplan.bench.login import bench_login

        Console(highlight=False).print(escape(bench_login(runs).line()), soft_wrap=True)
        return 0

    guard(debug, work)
