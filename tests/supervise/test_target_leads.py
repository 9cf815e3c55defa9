"""Targets with a lead unit that reports their actuals, and 达成率, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Organisation, Target
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan
from eduplan.plan import Target as PlanTarget
from eduplan.supervise import target_leads
from eduplan.supervise.actuals import latest_actuals, read_actual, record_actual, target_offices

BUREAU = "试点县教育局"
YEAR_START, YEAR_END = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def world(sessions):
    with sessions.begin() as session:
        plan = Plan(
            source={"name": "p.txt", "format": "txt"},
            title=f"{BUREAU}2025年工作要点",
            issuer=BUREAU,
            items=[
                PlanItem(
                    "普及学前教育",
                    "学前三年毛入园率达到90%",
                    YEAR_START,
                    YEAR_END,
                    ["基教股", "教研室"],
                    line=3,
                ),
                PlanItem("控辍保学", "辍学率控制在0.5%以内", YEAR_START, YEAR_END, ["督导室"], line=5),
            ],
            targets=[
                PlanTarget("学前三年毛入园率", "学前三年毛入园率达到90%", ">=", 90.0, "%", None, 3),
                PlanTarget("辍学率", "辍学率控制在0.5%以内", "<=", 0.5, "%", None, 5),
            ],
        )
        import_plan(session, plan, b"targets", bureau=BUREAU, actor="test")
    return sessions


def _targets(session):
    return {t.indicator: t for t in session.scalars(select(Target))}


def _org(session, name):
    return session.scalars(select(Organisation).where(Organisation.name == name)).one()


def test_the_lead_is_the_documents_first_office_until_an_administrator_names_one(world):
    with world.begin() as session:
        targets = _targets(session)
        entry = targets["学前三年毛入园率"]
        assert [o.name for o in target_offices(session, [entry])[entry.id]] == ["基教股", "教研室"]
        target_leads.set_lead(session, entry, _org(session, "教研室"), "admin")
        assert [o.name for o in target_offices(session, [entry])[entry.id]] == ["教研室"]  # it alone reports
        target_leads.set_lead(session, entry, None, "admin")
        assert [o.name for o in target_offices(session, [entry])[entry.id]] == ["基教股", "教研室"]
        with pytest.raises(target_leads.LeadError):
            target_leads.set_lead(session, entry, _org(session, BUREAU), "admin")


def test_the_lead_reports_an_actual_and_the_rate_follows(world):
    with world.begin() as session:
        targets = _targets(session)
        entry, dropout = targets["学前三年毛入园率"], targets["辍学率"]
        office = _org(session, "督导室")
        target_leads.set_lead(session, dropout, office, "admin")
        for target, value in ((entry, "81"), (dropout, "0.4")):
            new = read_actual(value, "2025-06-30", "年中统计", target, date(2025, 7, 1))
            record_actual(session, target, new, author="督导室", org_id=office.id)
        latest = latest_actuals(session, [entry.id, dropout.id])
        assert latest[dropout.id].org_id == office.id
        # 81 of 90 reached: 90.0%; 0.4 against at most 0.5 (lower is better): 0.5 ÷ 0.4 = 125.0%.
        assert (
            target_leads.rate_text(target_leads.attainment_rate(">=", 90.0, latest[entry.id].value))
            == "90.0%"
        )
        rate = target_leads.attainment_rate("<=", 0.5, latest[dropout.id].value)
        assert target_leads.rate_text(rate) == "125.0%"


@pytest.mark.parametrize(
    ("op", "goal", "actual", "text"),
    [
        (">=", 88.4, 88.4, "100.0%"),
        (">=", 88.4, 44.2, "50.0%"),
        (">", 10, 12, "120.0%"),
        ("=", 4, 3, "75.0%"),
        ("~", 200, 190, "95.0%"),
        ("<=", 0.5, 1.0, "50.0%"),
        ("<", 2, 1, "200.0%"),
        ("<=", 0.5, 0, "—"),  # no dropout at all: no ratio to show
        (">=", 0, 5, "—"),
        (">=", 90, None, "—"),  # nothing reported
    ],
)
def test_attainment_rate(op, goal, actual, text):
    assert target_leads.rate_text(target_leads.attainment_rate(op, goal, actual)) == text
