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
        import os

        import uvicorn

        from eduplan.settings import database_url
        from eduplan.web.app import create_app

        web = create_app(db)  # opens (and upgrades) the ledger once, before any worker starts
        check_port_free(host, port)
        console = Console(highlight=False)
        note = several_workers_note(db or database_url()) if workers > 1 else None
        console.print(f"eduplan 网页版：请在浏览器打开 [bold]{address(host, port)}[/]（按 Ctrl+C 停止）")
        console.print(f"接口文档：{address(host, port)}api/docs")
        options = {"host": host, "port": port, "log_level": "info", **server_options(workers)}
        if workers == 1:
            uvicorn.run(web, **options)
            return 0
        web.state.engine.dispose()
        if db:  # each worker makes its own app from the environment
            os.environ["EDUPLAN_DATABASE_URL"] = db
        console.print(f"{workers} 个服务器进程")
        if note:
            console.print(note)
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
            help="导入哪个文件夹里的文档（默认：仓库旁边的 ../shared/corpus/dev）。",
            show_default=False,
        ),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """建立示例教育局：科室、学校、每个角色一个演示账号，并导入语料文档，最后列出账号和密码。

    可重复运行：已有的账号和已导入的文档不会再改动。有文档导入失败时退出码为 1。
    """

    def work() -> int:
        from eduplan.bench import default_corpus
        from eduplan.ledger.demo import seed_demo, seed_demo_activity
        from eduplan.ledger.importer import read_and_import

        console = Console(highlight=False)
        folder = corpus if corpus is not None else default_corpus()
        if folder.is_dir():
            documents = demo_documents(folder)
        elif corpus is not None:
            raise EduplanError(f"找不到语料文件夹 {folder}")
        else:  # a checkout without ../shared: the accounts are still worth having
            console.print(
                f"找不到语料文件夹 {escape(str(folder))}：只建立演示账号，不导入文档", soft_wrap=True
            )
            documents = []
        factory = open_sessions(db)
        with factory.begin() as session:
            # The bureau, its units and the users first; the documents then one transaction
            # each, so a person sees each one land (seed_demo imports them the same way).
            info = seed_demo(session, corpus=None)
        console.print(
            f"{escape(info.bureau)}：演示账号{'已建立' if info.created else '已存在'}，"
            f"导入 {len(documents)} 个文档（{escape(str(folder))}）",
            soft_wrap=True,
        )
        changed, failed = info.created, 0
        for number, path in enumerate(documents, 1):
            head = f"[{number}/{len(documents)}] {escape(path.name)}"
            try:
                with factory.begin() as session:
                    result = read_and_import(
                        session, path.read_bytes(), path.name, bureau=info.bureau, actor=DEMO_ACTOR
                    )
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
            changed = changed or result.status not in ("unchanged", "same_content")
            console.print(f"{head}：{escape(result.summary())}", soft_wrap=True)
        with factory.begin() as session:  # work done on the documents, now that they are in
            seed_demo_activity(session)
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
