"""A target's lead unit reports an actual with evidence files (issue 15), on SQLite and
PostgreSQL: the files are stored with the actual, listed on 目标 under the latest actual and
downloadable by whoever may see the target; the upload limits of a report's attachments hold.

World: a plan of the demo bureau with one target, 学前三年毛入园率 ≥ 88.4%, whose lead unit an
administrator set to 基教股 (login jijiao); a neighbouring bureau's admin (linxian) sees none of it.
"""

from __future__ import annotations

import re

import pytest
from lxml import html
from sqlalchemy import select

from eduplan.demo.bureau import DEMO_BUREAU
from eduplan.ledger.accounts import create_user
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Organisation, TargetActual, TargetActualFile
from eduplan.ledger.models import Target as TargetRecord
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.plan import Plan, Target
from eduplan.supervise import target_leads
from tests.web.conftest import _csrf

SHEET = "在园幼儿 1804 人，适龄儿童 2000 人".encode()
PHOTO = b"%PDF-1.4 photo"


@pytest.fixture
def web_db(web_db_both):
    return web_db_both


@pytest.fixture
def target(seeded, db_sessions) -> int:
    with db_sessions.begin() as session:
        plan = Plan(
            source={"name": "targets.txt", "format": "txt"},
            kind="plan",
            title="示例县教育局2024年教育工作要点",
            issuer=DEMO_BUREAU,
            targets=[Target("学前三年毛入园率", "学前三年毛入园率达到88.4%以上", ">=", 88.4, "%", None, 3)],
        )
        plan_id = import_plan(session, plan, b"targets", bureau=DEMO_BUREAU, actor="test").plan_id
        row = session.scalars(select(TargetRecord).where(TargetRecord.plan_id == plan_id)).one()
        office = session.scalars(select(Organisation).where(Organisation.name == "基教股")).one()
        target_leads.set_lead(session, row, office, "admin")
        neighbour = get_or_create_bureau(session, "邻县教育局", "test")
        create_user(session, "linxian", "linxian-2026", "admin", bureau=neighbour)
        return row.id


def report(client, target: int, files: list[tuple[str, bytes]], value: str = "90.2"):
    return client.post(
        "/targets/actuals",
        data={
            "target_id": str(target),
            "value": value,
            "as_of": "",
            "note": "秋季学期统计",
            "csrf_token": client.csrf,
        },
        files=[("files", (name, body, "application/octet-stream")) for name, body in files],
        follow_redirects=False,
    )


def listed(client) -> dict[str, str]:
    """The evidence files on 目标: filename → download link."""
    page = html.fromstring(client.get("/targets").text)
    return {
        a.text_content(): a.get("href")
        for a in page.xpath('//table[@id="targets-table"]//ul[@class="evidence"]//a')
    }


def test_the_lead_office_reports_with_evidence_everyone_of_the_bureau_downloads_it(
    target, login, db_sessions
):
    office = login("office")
    response = report(office, target, [("入园率统计表.txt", SHEET), ("照片.pdf", PHOTO)])
    assert response.status_code == 303, re.findall(r"role=\"alert\">([^<]+)<", response.text)
    with db_sessions() as session:
        actual = session.scalars(select(TargetActual).where(TargetActual.target_id == target)).one()
        stored = session.scalars(select(TargetActualFile).order_by(TargetActualFile.id)).all()
        assert [(f.actual_id, f.filename, f.size, f.content) for f in stored] == [
            (actual.id, "入园率统计表.txt", len(SHEET), SHEET),
            (actual.id, "照片.pdf", len(PHOTO), PHOTO),
        ]
    links = listed(office)
    assert set(links) == {"入园率统计表.txt", "照片.pdf"}
    # Whoever sees the target downloads its evidence: the bureau office, a school, a guest.
    for role in ("admin", "school", "guest"):
        got = login(role).get(links["照片.pdf"])
        assert got.status_code == 200, role
        assert got.content == PHOTO
        assert "attachment" in got.headers["content-disposition"]
        assert got.headers["x-content-type-options"] == "nosniff"
    assert listed(login("guest")) == links


def test_another_bureau_does_not_find_the_evidence(target, login, app):
    from fastapi.testclient import TestClient

    report(login("office"), target, [("照片.pdf", PHOTO)])
    link = listed(login("office"))["照片.pdf"]
    stranger = TestClient(app)
    data = {"username": "linxian", "password": "linxian-2026", "csrf_token": _csrf(stranger), "next": "/"}
    assert stranger.post("/login", data=data, follow_redirects=False).status_code == 303
    assert stranger.get(link).status_code == 404
    assert "照片.pdf" not in stranger.get("/targets").text
    assert login("office").get("/targets/files/999999").status_code == 404


def test_the_attachment_limits_hold_and_nothing_is_stored_when_refused(
    target, login, db_sessions, monkeypatch
):
    office = login("office")
    six = [(f"表{i}.txt", SHEET) for i in range(6)]
    refused = report(office, target, six)
    assert refused.status_code == 400 and "最多上传 5 个" in refused.text
    monkeypatch.setenv("EDUPLAN_MAX_ATTACHMENT_BYTES", "10")
    too_big = report(office, target, [("入园率统计表.txt", SHEET)])  # more than 10 bytes
    assert too_big.status_code == 400
    with db_sessions() as session:
        assert session.scalars(select(TargetActual)).all() == []
        assert session.scalars(select(TargetActualFile)).all() == []


def test_the_page_lists_the_latest_actuals_evidence(target, login):
    office = login("office")
    report(office, target, [("九月统计表.txt", SHEET)], value="87")
    report(office, target, [("十月统计表.txt", SHEET)], value="89")
    # Both are as of today: the later report is the latest actual, and its file is listed.
    assert set(listed(office)) == {"十月统计表.txt"}
