"""Web commands: ``serve`` (the web app under uvicorn) and ``demo`` (a sample bureau to try it on)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from eduplan.cli.app import app
from eduplan.cli.common import DbOption, DebugOption, guard, internal_error_line, one_line, open_sessions
from eduplan.errors import EduplanError
from eduplan.web.protocols import fast_protocols

DEMO_ACTOR = "演示数据"
"""What ``seed_demo`` imports from a corpus folder (its top level, gold answers are .json)."""
ROLE_LABELS = {"admin": "管理员", "office": "科室", "school": "学校", "guest": "访客"}
"""As ``eduplan.web.auth.ROLE_LABELS`` (a test keeps them equal): importing FastAPI costs a second."""


def address(host: str, port: int) -> str:
    """The address a person types into a browser (IPv6 hosts in brackets)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


def check_port_free(host: str, port: int) -> None:
    """Fail with a Chinese line before uvicorn starts, instead of its English log and exit 1."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise EduplanError(f"无法识别监听地址 {host}：{exc.strerror}") from None
    family, kind, proto, _, sockaddr = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(sockaddr)
        except PermissionError:
            raise EduplanError(
                f"没有权限监听端口 {port}（1024 以下的端口需要管理员权限），请换一个端口"
            ) from None
        except OSError as exc:
            raise EduplanError(
                f"无法监听 {host}:{port}（{exc.strerror}）：端口可能已被占用，请用 --port 换一个端口"
            ) from None


GRACEFUL_SHUTDOWN_SECONDS = 10
"""After SIGTERM (or Ctrl+C), requests still running get this long before they are cancelled."""
MAX_CONNECTIONS = 2048
"""uvicorn's own backstop: past this many connections each new one gets a bare 503 (the app's
admission limit answers long before, in Chinese; see eduplan/web/limits.py)."""


def server_options(workers: int) -> dict:
    """What ``serve`` and ``bench`` pass to uvicorn besides the address."""
    options: dict = {
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
        "limit_concurrency": MAX_CONNECTIONS,
        **fast_protocols(),
    }
    if workers > 1:
        options["workers"] = workers
    return options


def several_workers_note(url: str) -> str | None:
    """What a person running several workers on this database should know, or an error."""
    from sqlalchemy.engine import make_url

    from eduplan.ledger.db import normalise_url

    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise EduplanError("内存数据库不能由多个进程共用：请用数据库文件或 PostgreSQL")
    return (
        "SQLite：多个进程共用一个数据库文件（WAL 模式，读不受影响；写入一次一个，"
        "等待超过 30 秒即报错）。写入多的部署请用 PostgreSQL。"
    )


@app.command("serve")
def serve_command(
    host: Annotated[
        str,
        typer.Option("--host", help="监听地址（默认只供本机访问；0.0.0.0 让局域网内其他电脑也能访问）。"),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="监听端口。")] = 8000,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help=(
                "前面的反向代理（如 nginx）的地址，逗号分隔；只信任这些地址发来的 X-Forwarded-For /"
                " X-Forwarded-Proto。默认不信任任何转发头（也可用环境变量 EDUPLAN_FORWARDED_ALLOW_IPS）。"
            ),
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="服务器进程数（默认 1；多核机器上可设为 CPU 核数，推荐配合 PostgreSQL 使用）。",
        ),
    ] = 1,
    db: DbOption = None,
    debug: DebugOption = False,
) -> None:
    """启动网页版工作台账：日历、事项、进度填报、导入审核和 API（按 Ctrl+C 停止）。

    第一次使用可先运行 eduplan demo 建立示例教育局和演示账号。
    """

    def work() -> int:
        import dataclasses
        import os

        import uvicorn

        from eduplan.settings import WebSettings, database_url
        from eduplan.web.app import create_app

        settings = WebSettings.from_env()
        if forwarded_allow_ips is not None:
            proxies = tuple(p.strip() for p in forwarded_allow_ips.split(",") if p.strip())
            settings = dataclasses.replace(settings, forwarded_allow_ips=proxies)
        web = create_app(db, settings)  # opens (and upgrades) the ledger once, before any worker starts
        check_port_free(host, port)
        console = Console(highlight=False)
        note = several_workers_note(db or database_url()) if workers > 1 else None
        console.print(f"eduplan 网页版：请在浏览器打开 [bold]{address(host, port)}[/]（按 Ctrl+C 停止）")
        console.print(f"接口文档：{address(host, port)}api/docs")
        # uvicorn itself trusts X-Forwarded-For from 127.0.0.1 by default: off. The app believes
        # forwarded headers only from the proxies named (eduplan.web.app.create_app).
        options = {
            "host": host,
            "port": port,
            "log_level": "info",
            "proxy_headers": False,
            **server_options(workers),
        }
        if workers == 1:
            uvicorn.run(web, **options)
            return 0
        web.state.engine.dispose()
        # each worker makes its own app from the environment
        if db:
            os.environ["EDUPLAN_DATABASE_URL"] = db
        if forwarded_allow_ips is not None:
            os.environ["EDUPLAN_FORWARDED_ALLOW_IPS"] = forwarded_allow_ips
        console.print(f"{workers} 个服务器进程")
        if note:
            console.print(note)
        from eduplan.web.listener import nodelay_listeners

        nodelay_listeners()  # else every answer waits 40 ms for the client's delayed ACK
        uvicorn.run("eduplan.web.app:create_app", factory=True, **options)
        return 0

    guard(debug, work)


def demo_documents(corpus: Path) -> list[Path]:
    """The corpus documents ``seed_demo`` would import, in its order."""
    from eduplan.documents import find_documents

    return find_documents(corpus)


def accounts_table(users: list[tuple[str, str, str, str | None]], bureau: str) -> Table:
    table = Table(title=f"演示账号（{bureau}）", title_justify="left")
    for column in ("用户名", "密码", "角色", "单位"):
        table.add_column(column, no_wrap=True)
    for username, password, role, org in users:
        table.add_row(username, password, ROLE_LABELS.get(role, role), org or bureau)
    return table


@app.command("demo")
def demo_command(
    db: DbOption = None,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            help="改为导入这个文件夹里的文档（默认：导入随程序提供、按今天日期生成的示例文档）。",
            show_default=False,
        ),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """建立示例教育局：科室、学校、每个角色一个演示账号和示例文档，最后列出账号和密码。

    示例文档（本学期行事历、本年度工作要点、任务分解表、本月工作安排）按今天的日期生成：
    本周有工作，有的已完成，有的刚逾期几天。可重复运行：同一天再运行不会改动已有的账号和文档。
    有文档导入失败时退出码为 1。
    """

    def work() -> int:
        from eduplan.demo.bureau import demo_documents as sample_documents
        from eduplan.demo.bureau import seed_demo, seed_demo_activity
        from eduplan.ledger.importer import read_and_import

        console = Console(highlight=False)
        if corpus is not None:
            if not corpus.is_dir():
                raise EduplanError(f"找不到语料文件夹 {corpus}")
            paths = demo_documents(corpus)
            documents = [(path.name, path.read_bytes) for path in paths]
            source = str(corpus)
        else:
            samples = sample_documents()
            documents = [(sample.name, lambda data=sample.data: data) for sample in samples]
            source = "示例文档"
        factory = open_sessions(db)
        with factory.begin() as session:
            # The bureau, its units and the users first; the documents then one transaction
            # each, so a person sees each one land (seed_demo imports them the same way).
            info = seed_demo(session, corpus=None)
        console.print(
            f"{escape(info.bureau)}：演示账号{'已建立' if info.created else '已存在'}，"
            f"导入 {len(documents)} 个文档（{escape(source)}）",
            soft_wrap=True,
        )
        changed, failed, imported = info.created, 0, []
        for number, (name, read) in enumerate(documents, 1):
            head = f"[{number}/{len(documents)}] {escape(name)}"
            try:
                with factory.begin() as session:
                    result = read_and_import(session, read(), name, bureau=info.bureau, actor=DEMO_ACTOR)
            except EduplanError as exc:
                failed += 1
                console.print(f"{head}：[red]失败[/]：{escape(one_line(str(exc)))}", soft_wrap=True)
                continue
            except Exception as exc:
                if debug:
                    raise
                failed += 1
                console.print(f"{head}：[red]失败[/]：{escape(internal_error_line(exc))}", soft_wrap=True)
                continue
            imported.append(name)
            changed = changed or result.status not in ("unchanged", "same_content")
            console.print(f"{head}：{escape(result.summary())}", soft_wrap=True)
        with factory.begin() as session:  # work done on the documents, now that they are in
            seed_demo_activity(session, imported if corpus is None else ())
        console.print()
        console.print(accounts_table(info.users, info.bureau))
        if failed:
            console.print(f"[red]{failed} 个文档导入失败[/]")
        elif changed:
            console.print("演示数据已准备好。启动网页版：eduplan serve，然后用上面的账号登录。")
        else:
            console.print("演示数据早已建好，本次没有任何改动。")
        return 1 if failed else 0

    guard(debug, work)
