"""Work sent down to schools, on SQLite and PostgreSQL: groups resolve to their member schools,
an item for a group is distributed one assignment per member, schools reply, 销号 is applied for
and reviewed (passed, returned, or in one step), and the item closes when every school is done."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from eduplan.ledger import schools
from eduplan.ledger.clock import now
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Assignment, Item, Notification, Organisation
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.ledger.queries import unit_ids
from eduplan.ledger.schools import SchoolError
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.supervise import assignments, closing_review, supervision
from eduplan.text import normalize

BUREAU = "试点县教育局"
SCHOOLS = {
    "城关小学": "primary",
    "实验小学": "primary",
    "城关中学": "junior",
    "第二中学": "complete",
    "育才学校": "nine_year",
    "实验幼儿园": "kindergarten",
    "县职业中学": "vocational",
    "李庄村小": None,  # type not set yet
}
ITEMS = [
    ("全县小学质量监测", ["基教股", "各小学"]),
    ("六一儿童节庆祝活动", ["各小学", "各幼儿园"]),
    ("中学生运动会", ["体卫股", "各中学"]),
    ("开学工作检查", ["基教股", "各学校"]),
    ("城区学校教研", ["教研室", "城区学校"]),
]


def _org(session, bureau, name, kind, school_type=None):
    org = Organisation(
        bureau_id=bureau.id, parent_id=bureau.id, kind=kind, name=name, norm=normalize(name),
        school_type=school_type, created_at=now(),
    )  # fmt: skip
    session.add(org)
    session.flush()
    return org


@pytest.fixture
def world(sessions):
    with sessions.begin() as session:
        bureau = get_or_create_bureau(session, BUREAU, "test")
        for name, school_type in SCHOOLS.items():
            _org(session, bureau, name, "school", school_type)
        _org(session, bureau, "城关中学教务处", "office")
        city = _org(session, bureau, "城区学校", "group")
        plan = ParsedPlan(
            source={"name": "p.txt", "format": "txt"},
            title=f"{BUREAU}2025年春季工作安排",
            issuer=BUREAU,
            items=[PlanItem(t, t, date(2025, 3, 3), date(2025, 3, 7), units) for t, units in ITEMS],
        )
        import_plan(session, plan, b"plan", bureau=BUREAU, actor="test")
        orgs = {
            o.name: o
            for o in session.scalars(select(Organisation).where(Organisation.bureau_id == bureau.id))
        }
        schools.set_group(
            session, city, key=None, member_ids=[orgs["城关小学"].id, orgs["城关中学"].id], actor="admin"
        )
        schools.attach_school_offices(session, bureau.id, "admin")
    return sessions


def _names(orgs):
    return sorted(o.name for o in orgs)


def _item(session, title):
    return session.scalars(select(Item).where(Item.title == title)).one()


def _orgs(session):
    return {o.name: o for o in session.scalars(select(Organisation))}


def test_groups_resolve_to_their_member_schools(world):
    with world() as session:
        orgs = _orgs(session)
        assert orgs["各小学"].kind == "group"
        m = schools.Membership(session, orgs[BUREAU].id)
        # 九年一贯制 (育才学校) teaches 小学 and 初中; 完全中学 (第二中学) 初中 and 高中.
        assert _names(m.of(orgs["各小学"].id)) == ["城关小学", "实验小学", "育才学校"]
        assert _names(m.of(orgs["各中学"].id)) == ["城关中学", "第二中学", "育才学校"]
        assert _names(m.of(orgs["各幼儿园"].id)) == ["实验幼儿园"]
        assert len(m.of(orgs["各学校"].id)) == len(SCHOOLS)  # the untyped 李庄村小 too
        # An administrator's group: its listed members, whatever their types.
        assert _names(m.of(orgs["城区学校"].id)) == ["城关中学", "城关小学"]
        # A school's own office hangs under it.
        office = orgs["城关中学教务处"]
        assert (office.kind, office.parent_id) == ("school_office", orgs["城关中学"].id)


def test_a_middle_school_does_not_answer_for_primary_school_work(world):
    with world() as session:
        orgs = _orgs(session)
        middle = schools.answers_for(session, orgs["城关中学"])
        assert orgs["各小学"].id not in middle
        assert {
            orgs["各中学"].id,
            orgs["各学校"].id,
            orgs["城区学校"].id,
            orgs["城关中学教务处"].id,
        } <= middle
        primary = schools.answers_for(session, orgs["实验小学"])
        assert orgs["各小学"].id in primary and orgs["各中学"].id not in primary
        bureau = orgs[BUREAU]
        ids = unit_ids(session, "城关中学", bureau, school=True)
        assert orgs["各小学"].id not in ids and orgs["各中学"].id in ids
        # 督办 notifications of a 各小学 item reach the primary schools only.
        item = _item(session, "全县小学质量监测")
        assert supervision.responsible_orgs(session, item)[0].name == "基教股"
        assert _names(supervision.responsible_orgs(session, item)) == [
            "城关小学",
            "基教股",
            "实验小学",
            "育才学校",
        ]


def test_setting_a_type_moves_a_school_into_its_groups(world):
    with world.begin() as session:
        orgs = _orgs(session)
        village = orgs["李庄村小"]
        assert orgs["各小学"].id not in schools.groups_of(session, village)
        assert schools.set_school_type(session, village, "primary", "admin") is True
        assert orgs["各小学"].id in schools.groups_of(session, village)
        with pytest.raises(SchoolError):
            schools.set_school_type(session, village, "university", "admin")
        with pytest.raises(SchoolError):
            schools.set_group(
                session, orgs["城区学校"], key=None, member_ids=[orgs["基教股"].id], actor="admin"
            )


def test_distribution_gives_one_assignment_per_member_school(world):
    with world.begin() as session:
        item = _item(session, "全县小学质量监测")
        made = assignments.distribute(session, item, "jijiao")
        orgs = _orgs(session)
        assert sorted(orgs_by_id(session)[a.org_id] for a in made) == ["城关小学", "实验小学", "育才学校"]
        assert assignments.distribute(session, item, "jijiao") == []  # again: nothing new
        told = session.scalars(select(Notification.org_id).where(Notification.kind == "assign")).all()
        assert sorted(told) == sorted(a.org_id for a in made)
        assert orgs["城关中学"].id not in told
        with pytest.raises(assignments.AssignmentError):
            assignments.report(
                session,
                item,
                orgs["城关中学"],
                text="已完成",
                percent=100,
                author="城关中学",
                actor="chengguan",
            )


def orgs_by_id(session):
    return {o.id: o.name for o in session.scalars(select(Organisation))}


def _apply(session, item, school, text="已完成监测，材料附后"):
    return closing_review.apply(
        session, item, bureau_id=school.bureau_id, org=school, org_name=school.name, author="王老师",
        actor="school", text=text, for_school=school,
    )  # fmt: skip


def _review(session, request, passed, note=""):
    return closing_review.review(
        session, request, passed=passed, note=note, reviewer_org="基教股", reviewer="李股长", actor="jijiao"
    )


def test_replies_returns_and_the_item_closing_when_every_school_is_done(world):
    today = date(2025, 3, 10)  # the item ended on 03-07
    with world.begin() as session:
        orgs = _orgs(session)
        item = _item(session, "全县小学质量监测")
        table = assignments.replies(session, item, today)
        assert [r.status for r in table.rows] == ["open", "open", "open"]
        assert (table.done, table.reported, table.not_started, table.late) == (0, 0, 3, 3)

        assignments.report(
            session,
            item,
            orgs["城关小学"],
            text="已组织监测",
            percent=60,
            author="王老师",
            actor="chengguanxiao",
        )
        first = _apply(session, item, orgs["实验小学"])
        table = assignments.replies(session, item, today)
        by = {r.school.name: r for r in table.rows}
        assert by["城关小学"].status == "in_progress" and by["城关小学"].last_report.text == "已组织监测"
        assert by["实验小学"].status == "applied" and by["实验小学"].pending.id == first.id
        assert (table.done, table.reported, table.not_started) == (0, 2, 1)
        assert [r.school.name for r in table.behind] == ["城关小学", "育才学校"]

        # 催办: only the schools behind (not the one waiting for review).
        chased = assignments.remind_behind(session, item, "jijiao", today)
        assert _names(chased) == ["城关小学", "育才学校"]

        # Returned with a reason: back to 进行中, the school told; then applied again and passed.
        with pytest.raises(closing_review.ReviewError):
            _review(session, first, passed=False)
        _review(session, first, passed=False, note="请补充监测照片")
        assert first.state == "returned" and first.review_note == "请补充监测照片"
        returned = session.scalars(select(Notification).where(Notification.kind == "returned")).one()
        assert returned.org_id == orgs["实验小学"].id and "请补充监测照片" in returned.body
        assert assignments.replies(session, item, today).rows[1].status == "in_progress"
        with pytest.raises(closing_review.ReviewError):
            _review(session, first, passed=True)  # reviewed already
        second = _apply(session, item, orgs["实验小学"], text="已补充照片")
        _review(session, second, passed=True)
        assert (second.state, second.reviewer_org, second.reviewer) == ("passed", "基教股", "李股长")
        assert item.status != "done"  # two schools still to go

        for name in ("城关小学", "育才学校"):
            _review(session, _apply(session, item, orgs[name]), passed=True)
        table = assignments.replies(session, item, today)
        assert (table.done, table.late) == (3, 0)
        assert item.status == "done"  # every school done: the item is closed


def test_the_office_closes_with_a_reason(world):
    with world.begin() as session:
        orgs = _orgs(session)
        item = _item(session, "六一儿童节庆祝活动")
        _review(session, _apply(session, item, orgs["实验幼儿园"]), passed=True)
        report = assignments.close_with_reason(
            session, item, reason="活动因天气取消，已另行安排", author="基教股", actor="jijiao",
            org_id=orgs["基教股"].id, org_name="基教股",
        )  # fmt: skip
        assert item.status == "done"
        assert (
            "活动因天气取消" in report.text and "城关小学" in report.text and "实验幼儿园" not in report.text
        )


def test_an_office_applies_for_its_items_closing_and_the_bureau_reviews(world):
    with world.begin() as session:
        orgs = _orgs(session)
        item = _item(session, "中学生运动会")
        office = orgs["体卫股"]
        request = closing_review.apply(
            session, item, bureau_id=office.bureau_id, org=office, org_name="体卫股", author="张老师",
            actor="tiwei", text="运动会已举办",
        )  # fmt: skip
        assert item.status != "done"
        with pytest.raises(closing_review.ReviewError):
            closing_review.apply(
                session, item, bureau_id=office.bureau_id, org=office, org_name="体卫股", author="张老师",
                actor="tiwei", text="再次申请",
            )  # fmt: skip
        closing_review.review(
            session, request, passed=True, note="", reviewer_org="督查室", reviewer="赵主任", actor="admin"
        )
        assert item.status == "done" and item.closed_by == "admin"


def test_one_step_closing(world):
    with world.begin() as session:
        orgs = _orgs(session)
        bureau = orgs[BUREAU]
        closing_review.set_one_step(session, bureau.id, True, "admin")
        assert closing_review.one_step(session, bureau.id)
        item = _item(session, "城区学校教研")
        first = _apply(session, item, orgs["城关小学"])
        assert first.state == "passed" and first.reviewer_org == "城关小学"
        assert item.status != "done"
        _apply(session, item, orgs["城关中学"])
        assert item.status == "done"
        rows = session.scalars(select(Assignment).where(Assignment.item_id == item.id)).all()
        assert sorted(a.status for a in rows) == ["done", "done"]


def test_the_demo_bureau_has_typed_schools_and_replies_in_every_state(sessions):
    from eduplan.demo.bureau import seed_demo

    with sessions.begin() as session:
        seed_demo(session, samples=True)
    with sessions() as session:
        query = select(Organisation.name, Organisation.school_type).where(Organisation.kind == "school")
        types = {name: school_type for name, school_type in session.execute(query)}
        assert sorted(n for n, t in types.items() if t == "primary") == ["城关小学", "实验小学"]
        assert sorted(n for n, t in types.items() if t in ("junior", "complete")) == ["城关中学", "第二中学"]
        assert [n for n, t in types.items() if t == "kindergarten"] == ["实验幼儿园"]
        rows = session.execute(
            select(Organisation.name, Assignment.status).join(
                Assignment, Assignment.org_id == Organisation.id
            )
        ).all()
        assert {status for _, status in rows} == {"open", "in_progress", "applied", "done"}
        assert dict(rows)["城关小学"] == "applied" and dict(rows)["实验幼儿园"] == "done"
    with sessions.begin() as session:  # again: nothing changes
        seed_demo(session, samples=True)
    with sessions() as session:
        assert len(session.scalars(select(Assignment)).all()) == len(rows)


# ---------------------------------------------------------------- distributing on publishing

# Member schools per item, worked out from SCHOOLS and the groups above (育才学校 teaches 小学
# and 初中; 城区学校 lists 城关小学 and 城关中学; 各学校 is all eight, the untyped 李庄村小 too).
PUBLISHED = {
    "全县小学质量监测": ["城关小学", "实验小学", "育才学校"],
    "六一儿童节庆祝活动": ["城关小学", "实验小学", "实验幼儿园", "育才学校"],
    "中学生运动会": ["城关中学", "第二中学", "育才学校"],
    "开学工作检查": sorted(SCHOOLS),
    "城区学校教研": ["城关中学", "城关小学"],
}


def _assigned(session) -> dict[str, list[str]]:
    rows = session.execute(
        select(Item.title, Organisation.name)
        .join(Assignment, Assignment.item_id == Item.id)
        .join(Organisation, Organisation.id == Assignment.org_id)
    ).all()
    found: dict[str, list[str]] = {}
    for title, name in rows:
        found.setdefault(title, []).append(name)
    return {title: sorted(names) for title, names in found.items()}


def test_publishing_a_plan_distributes_its_group_items_once(world):
    with world.begin() as session:
        plan_id = _item(session, "开学工作检查").plan_id
        assert assignments.distribute_plan(session, plan_id, "admin") == 3 + 4 + 3 + 8 + 2
        assert _assigned(session) == {t: sorted(n) for t, n in PUBLISHED.items()}
        told = session.scalars(select(Notification).where(Notification.kind == "assign")).all()
        assert len(told) == 20 and all(n.title.startswith("【分发】") for n in told)
        # Publishing again (and importing the same plan as a new version) makes nothing twice.
        assert assignments.distribute_plan(session, plan_id, "admin") == 0
    with world.begin() as session:
        again = ParsedPlan(
            source={"name": "p.txt", "format": "txt"},
            title=f"{BUREAU}2025年春季工作安排",
            issuer=BUREAU,
            items=[PlanItem(t, t, date(2025, 3, 3), date(2025, 3, 7), units) for t, units in ITEMS],
        )
        assert import_plan(session, again, b"plan v2", bureau=BUREAU, actor="test").plan_id == plan_id
        assert assignments.distribute_plan(session, plan_id, "admin") == 0
        assert len(session.scalars(select(Assignment)).all()) == 20


def test_a_school_typed_after_publishing_gets_its_assignments_later(world):
    with world.begin() as session:
        plan_id = _item(session, "开学工作检查").plan_id
        assignments.distribute_plan(session, plan_id, "admin")
        village = _orgs(session)["李庄村小"]
        schools.set_school_type(session, village, "primary", "admin")  # now one of 各小学
        item = _item(session, "全县小学质量监测")
        table = assignments.replies(session, item, today=None)
        row = next(r for r in table.rows if r.school.id == village.id)
        assert (row.status, row.assignment_id) == ("open", None)  # listed, no row yet
        # The lazy path: its first report makes the row.
        assignments.report(
            session, item, village, text="已布置监测", percent=None, author="李庄村小", actor="lizhuang"
        )
        assert assignments.assignment_of(session, item, village).status == "in_progress"
        # Publishing again sends it the other 各小学 item (六一) only: 各学校's it had already.
        assert assignments.distribute_plan(session, plan_id, "admin") == 1
        assert "李庄村小" in _assigned(session)["六一儿童节庆祝活动"]
