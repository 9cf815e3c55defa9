"""通知 pages: a unit's in-app notifications (newest first, unread marked, all marked read with
CSRF), the unread count in the header, and the reminder settings a unit or the bureau office
edits (e-mail and URL checked, refusals in Chinese)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from eduplan.ledger.clock import now
from eduplan.ledger.models import AuditEntry, Notification, NotificationSetting, Organisation
from eduplan.notify import outbound, remind
from eduplan.settings import SmtpSettings

PUBLIC_BOTS = {"qyapi.weixin.qq.com": ["101.91.0.10"], "bot.example": ["101.91.0.11"]}
INTERNAL_NAMES = {"bot.intranet.example": ["10.1.2.3"]}


@pytest.fixture(autouse=True)
def stub_resolver(monkeypatch):
    """Name lookups answered here (no real network): two public bots, one name inside."""
    known = PUBLIC_BOTS | INTERNAL_NAMES

    def resolve(host: str, port: int) -> list[str]:
        if host in known:
            return known[host]
        return outbound.system_resolver(host, port) if host[:1].isdigit() or ":" in host else []

    monkeypatch.setattr(outbound, "resolver", resolve)


def org_id(db_sessions, name: str) -> int:
    with db_sessions() as session:
        return session.scalars(select(Organisation.id).where(Organisation.name == name)).one()


def notify(db_sessions, name: str, title: str, *, minutes_ago: int, read: bool = False) -> int:
    with db_sessions.begin() as session:
        at = now() - timedelta(minutes=minutes_ago)
        row = Notification(
            org_id=org_id(db_sessions, name), kind="digest", title=title, body=f"{title}的正文",
            created_at=at, read_at=at if read else None,
        )  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


def unread(db_sessions, name: str) -> int:
    with db_sessions() as session:
        return len(
            session.scalars(
                select(Notification.id).where(
                    Notification.org_id == org_id(db_sessions, name), Notification.read_at.is_(None)
                )
            ).all()
        )


def test_a_unit_sees_its_notifications_newest_first_unread_marked(login, db_sessions):
    old = notify(db_sessions, "基教股", "上周的提醒", minutes_ago=60 * 24 * 7, read=True)
    new = notify(db_sessions, "基教股", "今天的提醒", minutes_ago=5)
    notify(db_sessions, "城关中学", "城关中学的提醒", minutes_ago=1)
    page = login("office").get("/notifications")
    assert page.status_code == 200
    assert page.text.index("今天的提醒") < page.text.index("上周的提醒")
    assert "城关中学的提醒" not in page.text
    assert re.search(
        rf'id="notification-{new}">\s*<h2><span class="badge-unread">未读</span> 今天的提醒', page.text
    )
    assert re.search(rf'id="notification-{old}">\s*<h2>上周的提醒', page.text)
    assert "全部标为已读（1 条未读）" in page.text


def test_mark_all_read_needs_csrf_and_touches_only_the_viewers_unit(login, db_sessions):
    notify(db_sessions, "城关中学", "提醒一", minutes_ago=2)
    notify(db_sessions, "城关中学", "提醒二", minutes_ago=1)
    notify(db_sessions, "第二中学", "别校的提醒", minutes_ago=1)
    client = login("school")
    refused = client.post("/notifications/read-all", data={"csrf_token": "forged"}, follow_redirects=False)
    assert refused.status_code == 403 and "CSRF" in refused.text
    assert unread(db_sessions, "城关中学") == 2
    done = client.post("/notifications/read-all", data={"csrf_token": client.csrf}, follow_redirects=False)
    assert done.status_code == 303
    assert unread(db_sessions, "城关中学") == 0 and unread(db_sessions, "第二中学") == 1
    page = client.get(done.headers["location"])
    assert "已全部标为已读。" in page.text and "未读</span>" not in page.text


def test_header_shows_the_unread_count_to_offices_and_schools_only(login, db_sessions):
    notify(db_sessions, "基教股", "提醒一", minutes_ago=2)
    notify(db_sessions, "基教股", "提醒二", minutes_ago=1)
    notify(db_sessions, "基教股", "旧提醒", minutes_ago=9, read=True)
    header = login("office").get("/calendar").text
    assert re.search(r'<a href="/notifications"[^>]*>通知 <span class="badge-unread">2</span></a>', header)
    school = login("school").get("/calendar").text
    assert re.search(r'<a href="/notifications"[^>]*>通知</a>', school)  # nothing unread: no number
    admin = login("admin")
    assert 'href="/notifications"' not in admin.get("/calendar").text
    assert "没有站内通知" in admin.get("/notifications").text


def test_a_digest_sent_by_remind_appears_on_the_schools_page(login, db_sessions):
    result = remind(db_sessions, date(2024, 9, 10), smtp=SmtpSettings(), base="http://edu.example")
    assert result.counts["inapp"].sent > 0
    page = login("school").get("/notifications").text
    # 城关中学: 开学工作检查 (各学校) ended 09-06, 城关中学开放日 on 09-12.
    assert "【工作提醒】城关中学 9月10日：今日到期0项，本周1项，逾期1项，督办0项" in page
    assert "开学工作检查（9月2日—9月6日，逾期4天）" in page


# ---------------------------------------------------------------- settings


def test_a_unit_without_settings_is_told_it_gets_in_app_only(login):
    client = login("school2")
    page = client.get("/notifications/settings", follow_redirects=True)
    assert page.status_code == 200 and "第二中学 · 提醒设置" in page.text
    assert "目前只发站内通知" in page.text


def test_a_unit_saves_its_settings_audited(login, db_sessions):
    client = login("school2")
    target = org_id(db_sessions, "第二中学")
    response = client.post(
        f"/notifications/settings/{target}",
        data={
            "csrf_token": client.csrf,
            "channels": ["email", "webhook"],
            "email": "dier@example.edu.cn",
            "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
            "webhook_kind": "wecom",
            "quiet_holidays": "1",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with db_sessions() as session:
        row = session.get(NotificationSetting, target)
        assert (row.channels, row.email, row.webhook_kind) == (
            ["email", "webhook"],
            "dier@example.edu.cn",
            "wecom",
        )
        assert (row.quiet_weekends, row.quiet_holidays) == (False, True)
        entry = session.scalars(
            select(AuditEntry).where(
                AuditEntry.entity == "notification_setting", AuditEntry.entity_id == target
            )
        ).one()
        assert (entry.actor, entry.entity_id, entry.before) == ("dierzhong", target, None)
    page = client.get(response.headers["location"]).text
    assert "提醒设置已保存。" in page and 'value="dier@example.edu.cn"' in page


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"channels": "email"}, "选择了邮件提醒，请填写邮箱地址"),
        ({"channels": "email", "email": "jijiao@"}, "邮箱地址“jijiao@”格式不对"),
        ({"channels": "webhook", "webhook_kind": "dingtalk"}, "选择了群机器人提醒，请填写 Webhook 地址"),
        (
            {"channels": "webhook", "webhook_url": "ftp://bot.example/send", "webhook_kind": "dingtalk"},
            "Webhook 地址必须是以 http:// 或 https:// 开头的完整网址",
        ),
        (
            {"channels": "webhook", "webhook_url": "https://bot.example/send"},
            "请选择群机器人类型：钉钉或企业微信",
        ),
        ({"channels": "sms"}, "未知的提醒方式：sms"),
        # Inside addresses (the SSRF of issue 13): refused when saved, also by a name.
        (
            {
                "channels": "webhook",
                "webhook_url": "http://127.0.0.1/internal-admin",
                "webhook_kind": "dingtalk",
            },
            "Webhook 地址“127.0.0.1”指向内网、本机或保留地址（127.0.0.1），已拒绝",
        ),
        (
            {"channels": "webhook", "webhook_url": "http://169.254.169.254/latest/", "webhook_kind": "wecom"},
            "Webhook 地址“169.254.169.254”指向内网、本机或保留地址",
        ),
        (
            {"channels": "webhook", "webhook_url": "https://bot.intranet.example/s", "webhook_kind": "wecom"},
            "Webhook 地址“bot.intranet.example”指向内网、本机或保留地址（10.1.2.3），已拒绝",
        ),
        (
            {"channels": "webhook", "webhook_url": "http://127.0.0.1:8000/admin", "webhook_kind": "wecom"},
            "Webhook 地址只能使用 80 或 443 端口（填的是 8000）",
        ),
    ],
)
def test_bad_settings_are_refused_in_chinese_and_not_stored(login, db_sessions, form, message):
    client = login("office")
    target = org_id(db_sessions, "基教股")
    with db_sessions() as session:
        before = session.get(NotificationSetting, target).channels  # the demo's e-mail + in-app
    response = client.post(f"/notifications/settings/{target}", data={"csrf_token": client.csrf, **form})
    assert response.status_code == 400
    assert re.search(r'class="error" role="alert">' + re.escape(message), response.text)
    with db_sessions() as session:
        assert session.get(NotificationSetting, target).channels == before


def test_the_bureau_office_lists_every_units_settings_and_edits_one(login, db_sessions):
    client = login("admin")
    listing = client.get("/notifications/settings").text
    assert re.search(r"<td>基教股</td>\s*<td>邮件、站内通知</td>\s*<td>jijiao@example.edu.cn</td>", listing)
    assert re.search(r"<td>第二中学</td>\s*<td>站内通知 <span class=\"muted\">（默认）</span></td>", listing)
    assert "<td>各学校</td>" not in listing  # a collective name receives no reminders
    target = org_id(db_sessions, "基教股")
    response = client.post(
        f"/notifications/settings/{target}",
        data={"csrf_token": client.csrf, "channels": "inapp"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with db_sessions() as session:
        row = session.get(NotificationSetting, target)
        assert (row.channels, row.email, row.quiet_weekends) == (["inapp"], None, False)


def test_another_unit_cannot_change_settings(login, db_sessions):
    client = login("office2")  # 教研室
    response = client.post(
        f"/notifications/settings/{org_id(db_sessions, '基教股')}",
        data={"csrf_token": client.csrf, "channels": "inapp"},
    )
    assert response.status_code == 403 and "只能设置本单位的提醒方式" in response.text
    with db_sessions() as session:
        assert session.get(NotificationSetting, org_id(db_sessions, "基教股")).channels == ["email", "inapp"]


def test_settings_pages_show_what_was_sent_and_why_it_failed(login, db_sessions):
    school = login("school2")
    assert "还没有发送过提醒。" in school.get("/notifications/settings", follow_redirects=True).text
    remind(db_sessions, date(2024, 9, 10), smtp=SmtpSettings(), base="http://edu.example")  # no mail server
    page = login("office").get(f"/notifications/settings/{org_id(db_sessions, '基教股')}").text
    assert re.search(
        r"<td>2024-09-10</td>\s*<td>邮件</td>\s*<td>1</td>\s*"
        r'<td class="status-late">失败：未配置邮件服务器（请设置环境变量 EDUPLAN_SMTP_HOST），'
        r"邮件未发送</td>",
        page,
    )
    assert re.search(
        r"<td>2024-09-10</td>\s*<td>站内通知</td>\s*<td>1</td>\s*<td class=\"\">已发送</td>", page
    )
    listing = login("admin").get("/notifications/settings").text
    assert (
        '<div class="status-late">2024-09-10 邮件失败</div><div class="">2024-09-10 站内通知已发送</div>'
        in listing
    )


def test_the_unit_page_links_to_its_reminder_settings(login, db_sessions):
    target = org_id(db_sessions, "城关中学")
    page = login("school").get(f"/units/{target}").text
    assert f'<a href="/notifications/settings/{target}">提醒设置</a>' in page
    group = login("admin").get(f"/units/{org_id(db_sessions, '各学校')}").text
    assert "提醒设置" not in group  # a collective name receives no reminders
