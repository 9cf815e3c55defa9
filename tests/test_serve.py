"""``eduplan serve`` and ``eduplan demo`` through Typer's runner, on a temporary SQLite file."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eduplan.cli import app
from eduplan.cli import web as web_cli
from eduplan.demo.bureau import DEMO_BUREAU, DEMO_USERS

CALENDAR = (
    "示例县教育局2024年秋季学期行事历\n"
    "周次\t日期\t工作内容\t责任股室\n"
    "1\t9.2—9.6\t开学工作检查\t基教股\n"
    "2\t9.9—9.13\t教研活动周\t教研室\n"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A one-document corpus (plus a gold answer, which is not a document)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "calendar.txt").write_text(CALENDAR, encoding="utf-8")
    (folder / "calendar.gold.json").write_text("{}", encoding="utf-8")
    return folder


@pytest.fixture
def quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2 hashes with the smallest costs: the demo makes six accounts."""
    from argon2 import PasswordHasher

    from eduplan.ledger import passwords

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def _demo(db_url: str, corpus: Path):
    return CliRunner().invoke(app, ["demo", "--db", db_url, "--corpus", str(corpus)], env={"COLUMNS": "200"})


def test_serve_help_names_its_options() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for option in ("--host", "--port", "--db", "--debug"):
        assert option in result.output
    assert "127.0.0.1" in result.output and "8000" in result.output


def test_serve_prints_the_address_and_runs_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from fastapi import FastAPI

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(
        app,
        ["serve", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'serve.db'}"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert f"请在浏览器打开 http://127.0.0.1:{port}/" in result.output
    [(web, options)] = calls
    assert isinstance(web, FastAPI)
    assert options["host"] == "127.0.0.1" and options["port"] == port


def test_serve_bounds_shutdown_and_connections(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    result = CliRunner().invoke(
        app, ["serve", "--port", "8123", "--db", f"sqlite:///{tmp_path / 'serve.db'}"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    [options] = calls
    assert options["timeout_graceful_shutdown"] == web_cli.GRACEFUL_SHUTDOWN_SECONDS
    assert options["limit_concurrency"] == web_cli.MAX_CONNECTIONS
    assert "workers" not in options


def test_serve_with_several_workers_gives_each_the_app_factory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    monkeypatch.delenv("EDUPLAN_DATABASE_URL", raising=False)  # restored after the test
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    db_url = f"sqlite:///{tmp_path / 'serve.db'}"
    result = CliRunner().invoke(
        app, ["serve", "--port", "8124", "--workers", "3", "--db", db_url], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    [(target, options)] = calls
    assert target == "eduplan.web.app:create_app"
    assert options["factory"] is True and options["workers"] == 3
    import os

    assert os.environ["EDUPLAN_DATABASE_URL"] == db_url  # what each worker's factory opens
    assert "3 个服务器进程" in result.output
    assert "WAL" in result.output  # what is safe on SQLite is said


def test_several_workers_on_an_in_memory_database_is_one_chinese_error() -> None:
    from eduplan.errors import EduplanError

    with pytest.raises(EduplanError, match="内存数据库"):
        web_cli.several_workers_note("sqlite://")
    assert web_cli.several_workers_note("postgresql://postgres@127.0.0.1/test") is None


def test_demo_prints_accounts_then_a_second_run_changes_nothing(
    tmp_path: Path, corpus: Path, quick_argon2: None
) -> None:
    db_url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = _demo(db_url, corpus)
    assert first.exit_code == 0, first.output
    assert "[1/1] calendar.txt：" in first.output
    assert "第 1 版" in first.output
    for column in ("用户名", "密码", "角色", "单位"):
        assert column in first.output
    for username, password, *_ in DEMO_USERS:
        assert username in first.output
        assert password in first.output
    assert DEMO_BUREAU in first.output
    assert "演示数据已准备好" in first.output

    second = _demo(db_url, corpus)
    assert second.exit_code == 0, second.output
    assert "未作改动" in second.output
    assert "本次没有任何改动" in second.output
    for username, *_ in DEMO_USERS:
        assert username in second.output


def test_demo_users_can_sign_in(tmp_path: Path, corpus: Path, quick_argon2: None) -> None:
    from fastapi.testclient import TestClient

    from eduplan.web.app import create_app

    db_url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert _demo(db_url, corpus).exit_code == 0
    client = TestClient(create_app(db_url))
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    username, password, *_ = DEMO_USERS[0]
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_demo_with_a_missing_corpus_is_one_chinese_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["demo", "--db", f"sqlite:///{tmp_path / 'demo.db'}", "--corpus", str(tmp_path / "nope")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：找不到语料文件夹")


def test_serve_refuses_a_busy_port_in_chinese(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            app, ["serve", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'serve.db'}"]
        )
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：无法监听 127.0.0.1:")
    assert "--port" in result.stderr


def test_role_labels_match_the_web_app() -> None:
    from eduplan.web.auth import ROLE_LABELS

    assert web_cli.ROLE_LABELS == ROLE_LABELS


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", "http://127.0.0.1:8000/"), ("::1", "http://[::1]:8000/")],
)
def test_address(host: str, expected: str) -> None:
    assert web_cli.address(host, 8000) == expected


def _serve_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *extra: str):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    monkeypatch.delenv("EDUPLAN_FORWARDED_ALLOW_IPS", raising=False)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(
        app, ["serve", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'serve.db'}", *extra]
    )
    assert result.exit_code == 0, result.output
    [(web, options)] = calls
    return web, options


def test_serve_trusts_no_forwarded_headers_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    # uvicorn's own default would believe X-Forwarded-For from 127.0.0.1 (issue 13).
    web, options = _serve_options(tmp_path, monkeypatch)
    assert options["proxy_headers"] is False
    assert ProxyHeadersMiddleware not in [m.cls for m in web.user_middleware]
    web.state.engine.dispose()


def test_serve_believes_only_the_proxies_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    web, options = _serve_options(tmp_path, monkeypatch, "--forwarded-allow-ips", "10.0.0.2")
    assert options["proxy_headers"] is False  # uvicorn's own stays off; the app's names the proxy
    [proxy] = [m for m in web.user_middleware if m.cls is ProxyHeadersMiddleware]
    assert proxy.kwargs["trusted_hosts"] == ["10.0.0.2"]
    assert web.state.web_settings.forwarded_allow_ips == ("10.0.0.2",)
    web.state.engine.dispose()
