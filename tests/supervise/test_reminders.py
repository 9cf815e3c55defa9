"""Reminder digests and their delivery (``eduplan remind``): e-mail read back from a real SMTP
server (aiosmtpd), chat-bot JSON read back from a local HTTP server, in-app rows; nothing sent
twice, failures retried, quiet weekends and holidays (and 调休 working Saturdays) respected.

The world: the demo bureau (without the corpus) and a hand-made plan; the reminder day is
Tuesday 2024-09-10, whose week runs to Sunday 09-15.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import socket
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from eduplan.calendar.holidays import HolidayCalendar
from eduplan.demo.bureau import DEMO_BUREAU, seed_demo
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Delivery, Item, Notification, Organisation
from eduplan.notify import _claim, remind
from eduplan.notify.errors import DeliveryError
from eduplan.notify.preferences import Preferences, save
from eduplan.notify.webhook import payload, post_json
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan
from eduplan.settings import SmtpSettings
from eduplan.supervise.reminders import build_digests, quiet_reason
from eduplan.supervise.supervision import supervise

DAY = date(2024, 9, 10)  # a Tuesday
BASE = "http://edu.example"
ITEMS = [
    ("开学工作检查", date(2024, 9, 2), date(2024, 9, 6), ["基教股", "各学校"]),  # 4 days late on 09-10
    ("教研活动周", date(2024, 9, 9), date(2024, 9, 13), ["教研室"]),  # due later this week
    ("城关中学开放日", date(2024, 9, 12), date(2024, 9, 12), ["城关中学"]),  # due later this week
    ("全县教师大会", date(2024, 9, 10), date(2024, 9, 10), ["办公室"]),  # due today
    ("第二中学安全演练", date(2024, 9, 20), date(2024, 9, 20), ["第二中学"]),  # next week (supervised)
    ("师训股培训", date(2024, 9, 3), date(2024, 9, 3), ["师训股"]),  # done: never reminded
    ("国庆安全检查", date(2024, 10, 8), date(2024, 10, 12), ["基教股"]),  # for the 调休 Saturday
]
# Digests with something in them on 09-10: 基教股, 教研室, 办公室 and the five schools (各学校
# gives every school 开学工作检查). Empty: 师训股, 人事股, 安全股, 督导室.
NON_EMPTY_ON_DAY = 8
EMPTY_ON_DAY = 4


# ---------------------------------------------------------------- servers the tests read back


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
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
    box.smtp = SmtpSettings(host="127.0.0.1", port=controller.port, sender="eduplan@edu.example")
    yield box
    controller.stop()


class _Hooks(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if "moved" in self.path:  # a bot URL that redirects elsewhere is not followed
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.server.received.append((self.path, self.headers["Content-Type"], json.loads(body)))
        answer = {"errcode": 310000, "errmsg": "keywords not in content"} if "bad" in self.path else {}
        data = json.dumps(answer or {"errcode": 0, "errmsg": "ok"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def hooks(monkeypatch):
    """A stub bot on loopback, which the administrator allows (loopback is refused otherwise:
    tests/test_outbound.py)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hooks)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("EDUPLAN_OUTBOUND_ALLOW_HOSTS", f"127.0.0.1:{server.server_address[1]}")
    yield server
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------- the world


@pytest.fixture
def world(sessions):
    """The demo bureau, the plan, 师训股's item done, 第二中学安全演练 supervised."""
    with sessions.begin() as session:
        seed_demo(session, corpus=None)
        plan = Plan(
            source={"name": "remind.txt", "format": "txt"},
            kind="plan",
            title="示例县教育局2024年秋季提醒测试安排",
            issuer=DEMO_BUREAU,
            items=[
                PlanItem(t, f"{t}：按要求完成", s, e, u, None, n) for n, (t, s, e, u) in enumerate(ITEMS, 1)
            ],
        )
        plan_id = import_plan(session, plan, b"remind plan", bureau=DEMO_BUREAU, actor="test").plan_id
        items = {i.title: i for i in session.scalars(select(Item).where(Item.plan_id == plan_id))}
        items["师训股培训"].status = "done"
        supervise(
            session,
            items["第二中学安全演练"],
            deadline=date(2024, 9, 15),
            note="务必组织全体师生参加",
            actor="admin",
            today=DAY,
        )
        orgs = {o.name: o.id for o in session.scalars(select(Organisation))}
    return {"items": {t: i.id for t, i in items.items()}, "orgs": orgs}


def _set(sessions, world, name: str, prefs: Preferences) -> None:
    with sessions.begin() as session:
        save(session, session.get(Organisation, world["orgs"][name]), prefs, "test")


def _digests(sessions, day=DAY):
    with sessions() as session:
        return {d.org_name: d for d in build_digests(session, day)}


def _digest_count(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).where(Notification.kind == "digest"))


# ---------------------------------------------------------------- what a digest holds


def test_digests_sort_items_into_today_week_overdue_and_supervised(sessions, world):
    digests = _digests(sessions)
    ids = world["items"]

    jijiao = digests["基教股"]
    assert [(i.id, i.days_late) for i in jijiao.overdue] == [(ids["开学工作检查"], 4)]
    assert jijiao.today == jijiao.week == jijiao.supervised == []
    assert jijiao.subject == "【工作提醒】基教股 9月10日：今日到期0项，本周0项，逾期1项，督办0项"

    assert [i.id for i in digests["办公室"].today] == [ids["全县教师大会"]]
    assert [i.id for i in digests["教研室"].week] == [ids["教研活动周"]]

    # A school gets what the bureau asks of all schools (各学校) besides its own items.
    chengguan = digests["城关中学"]
    assert [i.id for i in chengguan.week] == [ids["城关中学开放日"]]
    assert [i.id for i in chengguan.overdue] == [ids["开学工作检查"]]
    assert [i.id for i in digests["城关小学"].overdue] == [ids["开学工作检查"]]

    # 督办 shows an item that is not due yet, with its deadline and note.
    dier = digests["第二中学"]
    assert [(i.id, i.deadline, i.note) for i in dier.supervised] == [
        (ids["第二中学安全演练"], date(2024, 9, 15), "务必组织全体师生参加")
    ]
    assert dier.subject.endswith("今日到期0项，本周0项，逾期1项，督办1项")

    # A done item reminds nobody; units with nothing due are empty (and will not be sent).
    assert digests["师训股"].empty
    assert sum(d.empty for d in digests.values()) == EMPTY_ON_DAY
    assert "各学校" not in digests  # a collective name receives nothing itself


@pytest.mark.parametrize(
    ("end", "in_week"),
    [(date(2024, 9, 15), True), (date(2024, 9, 16), False)],
    ids=["ends-on-sunday", "ends-next-monday"],
)
def test_this_week_runs_to_sunday_inclusive(sessions, world, end, in_week):
    # 2024-09-10 is a Tuesday: an item whose last day is Sunday 09-15 is due this week; one ending
    # Monday 09-16 belongs to next week's digest.
    with sessions.begin() as session:
        session.get(Item, world["items"]["教研活动周"]).end = end
    week = [i.id for i in _digests(sessions)["教研室"].week]
    assert week == ([world["items"]["教研活动周"]] if in_week else [])


def test_digest_text_and_markdown_name_dates_days_late_and_links(sessions, world):
    dier = _digests(sessions)["第二中学"]
    item, supervised = world["items"]["开学工作检查"], world["items"]["第二中学安全演练"]
    text = dier.text(BASE)
    assert "以下是 2024年9月10日（周二）的工作提醒。" in text
    assert "【已逾期】1项\n1. 开学工作检查（9月2日—9月6日，逾期4天）" in text
    assert f"   {BASE}/items/{item}" in text
    assert "第二中学安全演练（9月20日，督办期限9月15日，还剩5天）" in text
    assert "督办意见：务必组织全体师生参加" in text
    markdown = dier.markdown(BASE)
    assert markdown.startswith(f"### {dier.subject}")
    assert f"- [开学工作检查]({BASE}/items/{item}) 9月2日—9月6日，逾期4天" in markdown
    assert f"[第二中学安全演练]({BASE}/items/{supervised})" in markdown


def test_overdue_is_listed_most_days_late_first(sessions, world):
    # On 09-14 (Saturday) 教研活动周 (ended 09-13) is 1 day late, 开学工作检查 8.
    digests = _digests(sessions, date(2024, 9, 14))
    assert [i.days_late for i in digests["城关中学"].overdue] == [8, 2]  # 开放日 ended 09-12
    assert [i.days_late for i in digests["教研室"].overdue] == [1]


# ---------------------------------------------------------------- delivering, once


def test_remind_delivers_on_every_channel_once(sessions, world, mailbox, hooks):
    ding = f"{hooks.url}/robot/send?access_token=t"
    wecom = f"{hooks.url}/cgi-bin/webhook/send"
    _set(
        sessions,
        world,
        "基教股",
        Preferences(("email", "inapp", "webhook"), "jijiao@example.edu.cn", ding, "dingtalk"),
    )
    _set(sessions, world, "第二中学", Preferences(("inapp", "webhook"), None, wecom, "wecom"))
    result = remind(sessions, DAY, smtp=mailbox.smtp, base=BASE)

    # E-mail: the demo's 基教股, 教研室 and 城关中学 (基教股's address set above).
    # In-app: every non-empty digest (the demo's five schools since 实验小学 joined).
    assert (result.counts["email"].sent, result.counts["inapp"].sent, result.counts["webhook"].sent) == (
        3,
        8,
        2,
    )
    assert result.failed == 0 and result.empty == EMPTY_ON_DAY and result.digests == NON_EMPTY_ON_DAY
    assert result.summary_line() == (
        "remind 2024-09-10: email 3 sent, inapp 8 sent, webhook 2 sent, 0 failed, 0 already sent"
    )
    mail = {to[0]: message for to, message in mailbox.messages}
    assert sorted(mail) == ["chengguan@example.edu.cn", "jiaoyan@example.edu.cn", "jijiao@example.edu.cn"]
    jijiao = mail["jijiao@example.edu.cn"]
    assert jijiao["Subject"] == "【工作提醒】基教股 9月10日：今日到期0项，本周0项，逾期1项，督办0项"
    assert jijiao["From"] == "eduplan@edu.example"
    body = jijiao.get_content()
    assert "开学工作检查（9月2日—9月6日，逾期4天）" in body
    assert f"{BASE}/items/{world['items']['开学工作检查']}" in body

    sent = {path.split("?")[0]: (ctype, data) for path, ctype, data in hooks.received}
    ctype, ding = sent["/robot/send"]
    assert ctype.startswith("application/json")
    assert ding["msgtype"] == "markdown"
    assert ding["markdown"]["title"] == jijiao["Subject"]
    assert "开学工作检查" in ding["markdown"]["text"] and "逾期4天" in ding["markdown"]["text"]
    _, wecom = sent["/cgi-bin/webhook/send"]
    assert set(wecom["markdown"]) == {"content"}
    assert (
        "第二中学安全演练" in wecom["markdown"]["content"]
        and "督办期限9月15日" in wecom["markdown"]["content"]
    )

    with sessions() as session:
        rows = session.execute(
            select(Notification.org_id, Notification.title).where(Notification.kind == "digest")
        ).all()
        assert len(rows) == NON_EMPTY_ON_DAY
        assert (
            world["orgs"]["办公室"],
            "【工作提醒】办公室 9月10日：今日到期1项，本周0项，逾期0项，督办0项",
        ) in rows
        statuses = session.scalars(select(Delivery.status)).all()
        assert sorted(set(statuses)) == ["sent"] and len(statuses) == 3 + 8 + 2

    again = remind(sessions, DAY, smtp=mailbox.smtp, base=BASE)
    assert [again.counts[c].sent for c in ("email", "inapp", "webhook")] == [0, 0, 0]
    assert [again.counts[c].skipped for c in ("email", "inapp", "webhook")] == [3, 8, 2]
    assert again.summary_line().endswith("0 failed, 13 already sent")
    assert len(mailbox.messages) == 3 and len(hooks.received) == 2
    assert _digest_count(sessions) == NON_EMPTY_ON_DAY

    # The next day is another digest.
    next_day = remind(sessions, DAY + timedelta(days=1), smtp=mailbox.smtp, base=BASE)
    assert next_day.counts["email"].sent == 3 and len(mailbox.messages) == 6


def test_two_runs_at_once_send_each_digest_once(sessions, world, mailbox):
    results = []
    runs = [
        threading.Thread(target=lambda: results.append(remind(sessions, DAY, smtp=mailbox.smtp, base=BASE)))
        for _ in range(2)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert sum(r.counts["email"].sent for r in results) == 3
    assert sum(r.counts["email"].skipped for r in results) == 3
    assert sum(r.counts["inapp"].sent for r in results) == NON_EMPTY_ON_DAY
    assert len(mailbox.messages) == 3
    assert _digest_count(sessions) == NON_EMPTY_ON_DAY


def test_a_claim_is_held_until_it_goes_stale(sessions, world):
    org = world["orgs"]["基教股"]
    first = _claim(sessions, org, "email", DAY, 1)
    assert first is not None
    assert _claim(sessions, org, "email", DAY, 1) is None  # another run is sending it
    with sessions.begin() as session:
        session.get(Delivery, first).attempted_at -= timedelta(hours=2)  # that run died
    assert _claim(sessions, org, "email", DAY, 1) == first


# ---------------------------------------------------------------- failures


def test_email_without_smtp_host_is_recorded_failed_and_retried(sessions, world, mailbox):
    result = remind(sessions, DAY, smtp=SmtpSettings(), base=BASE)
    assert result.counts["email"].failed == 3 and result.counts["inapp"].sent == NON_EMPTY_ON_DAY
    assert {org for org, _, _ in result.failures} == {"基教股", "教研室", "城关中学"}
    assert all(
        "未配置邮件服务器" in reason and "EDUPLAN_SMTP_HOST" in reason for *_, reason in result.failures
    )
    assert result.summary_line().endswith("3 failed, 0 already sent")
    with sessions() as session:
        failed = session.execute(
            select(Delivery.status, Delivery.error).where(Delivery.channel == "email")
        ).all()
    assert [status for status, _ in failed] == ["failed"] * 3 and all(error for _, error in failed)

    retry = remind(sessions, DAY, smtp=mailbox.smtp, base=BASE)
    assert (retry.counts["email"].sent, retry.counts["inapp"].skipped, retry.failed) == (
        3,
        NON_EMPTY_ON_DAY,
        0,
    )
    assert len(mailbox.messages) == 3
    with sessions() as session:
        assert set(session.scalars(select(Delivery.status))) == {"sent"}
        assert set(session.scalars(select(Delivery.error))) == {None}


def test_unreachable_smtp_server_and_refusing_bot_are_failures(sessions, world, hooks):
    _set(sessions, world, "第二中学", Preferences(("webhook",), None, f"{hooks.url}/bad", "dingtalk"))
    result = remind(sessions, DAY, smtp=SmtpSettings(host="127.0.0.1", port=_free_port()), base=BASE)
    reasons = {(org, channel): reason for org, channel, reason in result.failures}
    assert "连接邮件服务器 127.0.0.1" in reasons[("基教股", "email")]
    assert reasons[("第二中学", "webhook")] == "群机器人拒收：errcode 310000，keywords not in content"
    assert result.counts["email"].failed == 3 and result.counts["webhook"].failed == 1


def test_webhook_redirects_are_refused(hooks):
    with pytest.raises(
        DeliveryError, match=re.escape("群机器人地址要求跳转（HTTP 307），为安全起见不跟随跳转")
    ):
        post_json(f"{hooks.url}/moved", {"msgtype": "markdown"})
    assert len(hooks.received) == 0


def test_webhook_accepts_only_http_urls_and_known_kinds():
    with pytest.raises(DeliveryError, match="http:// 或 https://"):
        post_json("file:///etc/passwd", {"msgtype": "markdown"})
    with pytest.raises(DeliveryError, match="未知的群机器人类型"):
        payload("slack", "t", "x")
    long = "字" * 3000  # 9000 bytes of UTF-8
    content = payload("wecom", "t", long)["markdown"]["content"]
    assert len(content.encode()) <= 4096 and content == "字" * 1365


# ---------------------------------------------------------------- quiet days


CALENDAR = HolidayCalendar()


@pytest.mark.parametrize(
    ("day", "weekends", "holidays", "expected"),
    [
        (date(2024, 9, 10), True, True, None),  # an ordinary Tuesday
        (date(2024, 9, 7), True, True, "周六"),
        (date(2024, 9, 7), False, True, None),
        (date(2024, 10, 1), True, True, "国庆节"),  # a Tuesday, but 国庆
        (date(2024, 10, 1), True, False, None),
        (date(2024, 10, 5), False, True, "国庆节"),  # a Saturday inside the holiday
        (date(2024, 10, 12), True, True, None),  # Saturday, 国庆节调休上班: a working day
        (date(2024, 9, 29), True, True, None),  # Sunday, 国庆节调休上班
    ],
)
def test_quiet_reason(day, weekends, holidays, expected):
    assert quiet_reason(CALENDAR, day, quiet_weekends=weekends, quiet_holidays=holidays) == expected


def test_nothing_is_sent_on_a_quiet_weekend_unless_a_unit_wants_it(sessions, world, mailbox):
    _set(sessions, world, "办公室", Preferences(("inapp",), quiet_weekends=False))
    saturday = date(2024, 9, 7)  # 开学工作检查 1 day late
    result = remind(sessions, saturday, smtp=mailbox.smtp, base=BASE)
    assert result.counts["inapp"].sent == 0  # 办公室 has nothing on 09-07 (its meeting is 09-10)
    assert result.counts["email"].quiet == 2 and result.counts["inapp"].quiet == 6  # 基教股, 5 schools
    assert "周六" in {reason for _, reason in result.quiet_orgs}
    _set(sessions, world, "基教股", Preferences(("email",), "jijiao@example.edu.cn", quiet_weekends=False))
    result = remind(sessions, saturday, smtp=mailbox.smtp, base=BASE)
    assert result.counts["email"].sent == 1 and [to for to, _ in mailbox.messages] == [
        ["jijiao@example.edu.cn"]
    ]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Delivery)) == 1  # quiet days leave no row


def test_national_day_is_quiet_but_its_adjusted_working_saturday_is_not(sessions, world, mailbox):
    holiday = remind(sessions, date(2024, 10, 1), smtp=mailbox.smtp, base=BASE)
    assert holiday.counts["email"].sent == holiday.counts["inapp"].sent == 0
    assert holiday.counts["inapp"].quiet == holiday.digests > 0
    assert {reason for _, reason in holiday.quiet_orgs} == {"国庆节"}
    workday = remind(sessions, date(2024, 10, 12), smtp=mailbox.smtp, base=BASE)
    assert workday.counts["inapp"].quiet == 0 and workday.counts["inapp"].sent == workday.digests
    subjects = [m["Subject"] for to, m in mailbox.messages if to == ["jijiao@example.edu.cn"]]
    assert subjects == ["【工作提醒】基教股 10月12日：今日到期1项，本周0项，逾期1项，督办0项"]
