"""``eduplan remind`` through Typer's runner: the demo bureau made by ``eduplan demo`` from a small
行事历, e-mail to a real SMTP server (aiosmtpd) started here, the summary table and line, a second
run sending nothing, failures in the exit code, bad options in one Chinese line."""

from __future__ import annotations

import email
import email.policy
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from eduplan.cli import app

CALENDAR = (
    "示例县教育局2024年秋季学期行事历\n"
    "周次\t日期\t工作内容\t责任股室\n"
    "1\t9.2—9.6\t开学工作检查\t基教股\n"
    "2\t9.9—9.13\t教研活动周\t教研室\n"
)
# On Tuesday 2024-09-10: 基教股's 开学工作检查 is 4 days late, 教研室's 教研活动周 is due on Friday.
# The demo gives both e-mail (jijiao@ / jiaoyan@example.edu.cn) and in-app notifications.
FIRST = "remind 2024-09-10: email 2 sent, inapp 2 sent, webhook 0 sent, 0 failed, 0 already sent"
SECOND = "remind 2024-09-10: email 0 sent, inapp 0 sent, webhook 0 sent, 0 failed, 4 already sent"


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mailbox():
    box = _Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def demo_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    from argon2 import PasswordHasher

    from eduplan.ledger import passwords

    monkeypatch.setattr(passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "calendar.txt").write_text(CALENDAR, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    result = CliRunner().invoke(app, ["demo", "--db", url, "--corpus", str(corpus)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return url


def _remind(url: str, env: dict[str, str], *args: str):
    base = {"COLUMNS": "200", "EDUPLAN_SMTP_HOST": "", "EDUPLAN_BASE_URL": "https://edu.example"}
    return CliRunner().invoke(app, ["remind", "--db", url, *args], env={**base, **env})


def test_remind_sends_once_and_prints_counts_per_channel(demo_db, mailbox):
    smtp = {"EDUPLAN_SMTP_HOST": "127.0.0.1", "EDUPLAN_SMTP_PORT": str(mailbox.port)}
    first = _remind(demo_db, smtp, "--date", "2024-09-10")
    assert first.exit_code == 0, first.output
    lines = first.output.strip().splitlines()
    assert lines[-1] == FIRST
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    assert rows == [
        ["邮件（email）", "2", "0", "0", "0"],
        ["站内通知（inapp）", "2", "0", "0", "0"],
        ["群机器人（webhook）", "0", "0", "0", "0"],
    ]
    subjects = sorted(m["Subject"] for m in mailbox.messages)
    assert subjects == [
        "【工作提醒】基教股 9月10日：今日到期0项，本周0项，逾期1项，督办0项",
        "【工作提醒】教研室 9月10日：今日到期0项，本周1项，逾期0项，督办0项",
    ]
    jijiao = next(m for m in mailbox.messages if m["To"] == "jijiao@example.edu.cn")
    body = jijiao.get_content()
    assert "开学工作检查（9月2日—9月6日，逾期4天）" in body and "https://edu.example/items/" in body

    second = _remind(demo_db, smtp, "--date", "2024-09-10")
    assert second.exit_code == 0, second.output
    assert second.output.strip().splitlines()[-1] == SECOND
    assert len(mailbox.messages) == 2


def test_a_failed_delivery_is_named_and_sets_the_exit_code_then_retried(demo_db, mailbox):
    failed = _remind(demo_db, {}, "--date", "2024-09-10")
    assert failed.exit_code == 1
    assert (
        "失败：基教股 · 邮件：未配置邮件服务器（请设置环境变量 EDUPLAN_SMTP_HOST），邮件未发送"
        in failed.output
    )
    assert failed.output.strip().splitlines()[-1] == (
        "remind 2024-09-10: email 0 sent, inapp 2 sent, webhook 0 sent, 2 failed, 0 already sent"
    )
    smtp = {"EDUPLAN_SMTP_HOST": "127.0.0.1", "EDUPLAN_SMTP_PORT": str(mailbox.port)}
    retried = _remind(demo_db, smtp, "--date", "2024-09-10")
    assert retried.exit_code == 0, retried.output
    assert retried.output.strip().splitlines()[-1] == (
        "remind 2024-09-10: email 2 sent, inapp 0 sent, webhook 0 sent, 0 failed, 2 already sent"
    )


def test_a_quiet_saturday_sends_nothing_and_says_why(demo_db, mailbox):
    smtp = {"EDUPLAN_SMTP_HOST": "127.0.0.1", "EDUPLAN_SMTP_PORT": str(mailbox.port)}
    result = _remind(demo_db, smtp, "--date", "2024-09-07")  # 开学工作检查 is 1 day late
    assert result.exit_code == 0, result.output
    assert "这一天是周六：1 个单位设置了免打扰，未发送。" in result.output
    assert result.output.strip().splitlines()[-1].startswith("remind 2024-09-07: email 0 sent, inapp 0 sent")
    assert mailbox.messages == []


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--date", "9月10日"], {}, "错误：--date 的日期“9月10日”看不懂，请写成 2021-03-01"),
        (
            [],
            {"EDUPLAN_SMTP_PORT": "twenty-five"},
            "错误：EDUPLAN_SMTP_PORT 应为端口号（数字），而不是“twenty-five”",
        ),
    ],
)
def test_bad_options_end_in_one_chinese_line(demo_db, args, env, message):
    result = _remind(demo_db, env, *args)
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == message
