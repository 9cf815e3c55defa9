"""目标 (GET /targets) and the dashboard's 目标进度: the bureau's targets, 未填报 until actuals exist.

The ``seeded`` sample plan has no targets; each test imports a plan with two (and a neighbouring
bureau's plan with one that must never show)."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from lxml import html
from sqlalchemy import select

from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.goal_text import goal_text
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Plan as PlanRecord
from eduplan.ledger.models import Target as TargetRecord
from eduplan.plan import Plan, Target

PLAN_TITLE = "示例县教育局2024年教育工作要点"


@pytest.fixture
def plans(seeded) -> dict[str, int]:
    factory = sessions(connect(seeded["url"]))
    with factory.begin() as session:
        ours = Plan(
            source={"name": "targets.txt", "format": "txt"},
            kind="plan",
            title=PLAN_TITLE,
            issuer=DEMO_BUREAU,
            targets=[
                Target("学前三年毛入园率", "学前三年毛入园率达到88.4%以上", ">=", 88.4, "%", None, 3),
                Target("新建<b>幼儿园</b>", "新建幼儿园10所", "=", 10.0, "所", date(2024, 12, 31), 4),
            ],
        )
        theirs = Plan(
            source={"name": "other.txt", "format": "txt"},
            kind="plan",
            title="邻县教育局工作计划",
            issuer="邻县教育局",
            targets=[Target("邻县巩固率", "邻县巩固率达到99%", ">=", 99.0, "%", None, 1)],
        )
        mine = import_plan(session, ours, b"targets", bureau=DEMO_BUREAU, actor="test").plan_id
        other = import_plan(session, theirs, b"other", bureau="邻县教育局", actor="test").plan_id
    return {"ours": mine, "theirs": other, "sample": seeded["plan_id"]}


def rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.text[:500]
    page = html.fromstring(response.text)
    return [
        [td.text_content() for td in tr.xpath("td")]
        for tr in page.xpath('//table[@id="targets-table"]/tbody/tr')
    ]


# 序号, 指标, 目标值, 牵头单位 (none: no office on their lines), 计划, 时限, 实际, 达成率, 达成情况
EXPECTED = [
    ["1", "学前三年毛入园率", "≥ 88.4%", "—", PLAN_TITLE, "—", "未填报", "—", "未填报"],
    ["2", "新建<b>幼儿园</b>", "10所", "—", PLAN_TITLE, "2024-12-31", "未填报", "—", "未填报"],
]


def test_anonymous_is_sent_to_login(app):
    response = TestClient(app).get("/targets", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/targets"


@pytest.mark.parametrize("role", ["admin", "office", "school", "guest"])
def test_every_role_sees_the_bureaus_targets_only(login, plans, role):
    response = login(role).get("/targets")
    assert rows(response) == EXPECTED
    assert "邻县巩固率" not in response.text


def test_indicator_text_is_escaped(login, plans):
    text = login("admin").get("/targets").text
    assert "新建<b>幼儿园</b>" not in text
    assert "新建&lt;b&gt;幼儿园&lt;/b&gt;" in text


def test_plan_filter(login, plans):
    client = login("admin")
    assert rows(client.get(f"/targets?plan={plans['ours']}")) == EXPECTED
    response = client.get(f"/targets?plan={plans['sample']}")
    assert rows(response) == []
    assert "这份计划中还没有量化目标" in response.text
    assert client.get(f"/targets?plan={plans['theirs']}").status_code == 404
    assert client.get("/targets?plan=99999").status_code == 404
    assert client.get("/targets?plan=x").status_code == 400


def test_plan_links_filter_by_plan(login, plans):
    page = html.fromstring(login("admin").get("/targets").text)
    assert set(page.xpath('//table[@id="targets-table"]//a/@href')) == {f"/targets?plan={plans['ours']}"}


def test_removed_targets_are_left_out(login, plans, seeded):
    factory = sessions(connect(seeded["url"]))
    with factory.begin() as session:
        first = session.scalars(
            select(TargetRecord).where(TargetRecord.indicator == "学前三年毛入园率")
        ).one()
        first.removed_in = 2
        assert session.get(PlanRecord, plans["ours"]) is not None
    assert [r[1] for r in rows(login("admin").get("/targets"))] == ["新建<b>幼儿园</b>"]


def test_dashboard_shows_targets_progress(login, plans):
    page = html.fromstring(login("school").get("/").text)
    part = page.xpath('//section[@id="targets"]')[0]
    cells = [[td.text_content() for td in tr.xpath("td")] for tr in part.xpath(".//tbody/tr")]
    assert cells == [
        ["学前三年毛入园率", "≥ 88.4%", "—", "未填报", PLAN_TITLE],
        ["新建<b>幼儿园</b>", "10所", "2024-12-31", "未填报", PLAN_TITLE],
    ]
    assert part.xpath('.//a[@href="/targets"]')[0].text_content() == "全部 2 项目标 →"


@pytest.mark.parametrize(
    ("op", "value", "unit", "text"),
    [
        (">=", 88.4, "%", "≥ 88.4%"),
        ("<=", 5.0, "%", "≤ 5%"),
        ("=", 10.0, "所", "10所"),
        ("~", 400.0, "名", "约 400名"),
        (">", 6000.0, None, "> 6000"),
        ("<", 0.5, "个百分点", "< 0.5个百分点"),
    ],
)
def test_goal_text(op, value, unit, text):
    assert goal_text(op, value, unit) == text
