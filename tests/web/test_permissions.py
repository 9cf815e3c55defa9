"""Truth tables of ``eduplan.web.permissions``: every rule by role × own or other unit × own or
other bureau × who wrote a report × an item without a unit, on plain objects (no database, no
HTTP). tests/web/test_role_matrix.py checks the same rules through every page and endpoint.

The expected sets below are written from the rules in the module's docstring, one literal set
per case, not computed from the code under test.

The cast, in bureau 1 (示例县教育局) unless said otherwise:

* admin — 局办公室 (no unit); office — 基教股 (unit A); school — 城关中学 (unit S); guest (no unit)
* units: A 基教股 and C 教研室 (offices), S 城关中学 and T 第二中学 (schools), G 各学校 (a group),
  P 各小学 (a group 城关中学, a middle school, is not in), W 城关中学教务处 (the school's own office)
* every viewer again in bureau 2 (另一县教育局), and one with no bureau at all
"""

from __future__ import annotations

import pytest

from eduplan.ledger.models import Organisation, Plan, ProgressReport
from eduplan.web import permissions as p
from eduplan.web.auth import Viewer

BUREAU, OTHER_BUREAU = 1, 2
A, C, S, T, G, P, W = 10, 11, 20, 21, 30, 31, 40

UNITS = {
    A: Organisation(id=A, bureau_id=BUREAU, kind="office", name="基教股"),
    C: Organisation(id=C, bureau_id=BUREAU, kind="office", name="教研室"),
    S: Organisation(id=S, bureau_id=BUREAU, kind="school", name="城关中学"),
    T: Organisation(id=T, bureau_id=BUREAU, kind="school", name="第二中学"),
    G: Organisation(id=G, bureau_id=BUREAU, kind="group", name="各学校"),
    P: Organisation(id=P, bureau_id=BUREAU, kind="group", name="各小学"),
    W: Organisation(id=W, bureau_id=BUREAU, parent_id=S, kind="school_office", name="城关中学教务处"),
}
SCHOOL_ANSWERS_FOR = frozenset({G, W})
"""What ``schools.answers_for`` gives 城关中学: the groups it is in and its own office."""
ROLES = ("admin", "office", "school", "guest")
ROLE_ORG = {"admin": None, "office": A, "school": S, "guest": None}
PLAN = Plan(id=1, bureau_id=BUREAU, key="plan", kind="plan")

# The item's responsible units, by a short name used in the tables below.
ITEMS = {
    "A": [A],  # the office's own item
    "C": [C],  # another office's item
    "S": [S],  # the school's own item
    "T": [T],  # another school's item
    "G": [G],  # asked of all schools
    "A+S": [A, S],
    "P": [P],  # asked of primary schools only
    "W": [W],  # for the school's own office (教务处)
    "none": [],  # an item without a unit
}


def viewer(role: str, bureau: int | None = BUREAU) -> Viewer:
    org = ROLE_ORG[role]
    member_of = SCHOOL_ANSWERS_FOR if role == "school" else frozenset()
    return Viewer(1, role, role, role, bureau, org, UNITS[org].name if org else None, False, member_of)


def units(key: str) -> list[Organisation]:
    return [UNITS[i] for i in ITEMS[key]]


def allowed(check) -> set[str]:
    """The roles of bureau 1 for which ``check(viewer)`` is true."""
    return {role for role in ROLES if check(viewer(role))}


def nobody_outside(check) -> None:
    """The same check for every role of another bureau, and for a viewer of no bureau, is false."""
    for role in ROLES:
        assert not check(viewer(role, OTHER_BUREAU)), f"{role} of another bureau"
        assert not check(viewer(role, None)), f"{role} of no bureau"


# ---------------------------------------------------------------- bureau


def test_same_bureau():
    assert p.same_bureau(viewer("guest"), BUREAU)
    assert not p.same_bureau(viewer("admin"), OTHER_BUREAU)
    assert not p.same_bureau(viewer("admin", None), BUREAU)
    assert not p.same_bureau(viewer("admin", None), None)  # two missing bureaus are not one


def test_every_role_of_the_bureau_sees_its_plans():
    assert allowed(lambda v: p.can_view_plan(v, PLAN)) == set(ROLES)
    nobody_outside(lambda v: p.can_view_plan(v, PLAN))


# ---------------------------------------------------------------- items

VIEW_ITEM = {
    "A": {"admin", "office", "guest"},
    "C": {"admin", "office", "guest"},
    "S": {"admin", "office", "school", "guest"},
    "T": {"admin", "office", "guest"},
    "G": {"admin", "office", "school", "guest"},
    "A+S": {"admin", "office", "school", "guest"},
    "P": {"admin", "office", "guest"},
    "W": {"admin", "office", "school", "guest"},
    "none": {"admin", "office", "guest"},
}
EDIT_ITEM = {
    "A": {"admin", "office"},
    "C": {"admin"},
    "S": {"admin"},
    "T": {"admin"},
    "G": {"admin"},
    "A+S": {"admin", "office"},
    "P": {"admin"},
    "W": {"admin"},
    "none": {"admin"},
}
REPORT_ON_ITEM = {
    "A": {"admin", "office"},
    "C": {"admin"},
    "S": {"admin", "school"},
    "T": {"admin"},
    "G": {"admin", "school"},
    "A+S": {"admin", "office", "school"},
    "P": {"admin"},
    "W": {"admin", "school"},
    "none": {"admin"},
}


@pytest.mark.parametrize("item", sorted(ITEMS))
def test_who_sees_an_item(item):
    assert allowed(lambda v: p.can_view_item(v, PLAN, units(item))) == VIEW_ITEM[item]
    nobody_outside(lambda v: p.can_view_item(v, PLAN, units(item)))


@pytest.mark.parametrize("item", sorted(ITEMS))
def test_who_edits_and_closes_an_item(item):
    assert allowed(lambda v: p.can_edit_item(v, PLAN, units(item))) == EDIT_ITEM[item]
    assert allowed(lambda v: p.can_close_item(v, PLAN, units(item))) == EDIT_ITEM[item]
    nobody_outside(lambda v: p.can_edit_item(v, PLAN, units(item)))
    nobody_outside(lambda v: p.can_close_item(v, PLAN, units(item)))


@pytest.mark.parametrize("item", sorted(ITEMS))
def test_who_reports_on_an_item(item):
    assert allowed(lambda v: p.can_report(v, PLAN, units(item))) == REPORT_ON_ITEM[item]
    nobody_outside(lambda v: p.can_report(v, PLAN, units(item)))


def test_only_the_bureau_office_supervises():
    assert allowed(lambda v: p.can_supervise(v, PLAN)) == {"admin"}
    nobody_outside(lambda v: p.can_supervise(v, PLAN))


# ---------------------------------------------------------------- reports

# (the item's units, the reporting unit: None for a report the bureau office wrote) → who reads it
VIEW_REPORT = {
    ("A", A): {"admin", "office"},
    ("A", C): {"admin", "office"},  # the office responsible reads every report on its item
    ("A", S): {"admin", "office", "school"},
    ("A", None): {"admin", "office"},
    ("S", S): {"admin", "school"},
    ("S", T): {"admin"},
    ("S", A): {"admin", "office"},  # the office wrote it, though not responsible
    ("S", None): {"admin"},  # a guest, who has no unit either, does not read it
    ("G", S): {"admin", "school"},
    ("G", T): {"admin"},  # asked of all schools: each school reads only its own
    ("G", None): {"admin"},
    ("A+S", T): {"admin", "office"},
    ("A+S", None): {"admin", "office"},
    ("C", C): {"admin"},
    ("C", None): {"admin"},
    ("none", None): {"admin"},
    ("none", C): {"admin"},
}


@pytest.mark.parametrize(("item", "reporter"), sorted(VIEW_REPORT, key=str))
def test_who_reads_a_report(item, reporter):
    report = ProgressReport(id=1, item_id=1, org_id=reporter, author="someone", text="进展")
    check = lambda v: p.can_view_report(v, PLAN, units(item), report)  # noqa: E731
    assert allowed(check) == VIEW_REPORT[(item, reporter)]
    nobody_outside(check)


def test_a_guest_reads_no_report_at_all():
    guest = viewer("guest")
    for item in ITEMS:
        for reporter in (A, C, S, T, None):
            report = ProgressReport(id=1, item_id=1, org_id=reporter, author="someone", text="进展")
            assert not p.can_view_report(guest, PLAN, units(item), report), (item, reporter)


# ---------------------------------------------------------------- units' pages, targets, reports


@pytest.mark.parametrize(
    ("org", "expected"),
    [(A, {"admin", "office"}), (C, {"admin"}), (S, {"admin", "school"}), (T, {"admin"}), (G, {"admin"})],
)
def test_who_opens_a_units_page(org, expected):
    assert allowed(lambda v: p.can_view_org(v, UNITS[org])) == expected
    nobody_outside(lambda v: p.can_view_org(v, UNITS[org]))


def test_a_unit_of_no_bureau_is_nobody_s_page():
    # An administrator of no bureau once matched a unit of no bureau (None == None).
    stray = Organisation(id=99, bureau_id=None, kind="office", name="无归属科室")
    for role in ROLES:
        assert not p.can_view_org(viewer(role, None), stray), role
        assert not p.can_view_org(viewer(role), stray), role


def test_supervision_is_for_everyone_of_the_bureau_but_guests():
    # No object to hold a bureau: each viewer sees its own bureau's dashboard, none without one.
    assert allowed(p.can_view_supervision) == {"admin", "office", "school"}
    assert not any(p.can_view_supervision(viewer(role, None)) for role in ROLES)


@pytest.mark.parametrize(
    ("offices", "expected"),
    [("A", {"admin", "office"}), ("C", {"admin"}), ("A+S", {"admin", "office"}), ("none", {"admin"})],
)
def test_who_records_a_targets_actual(offices, expected):
    assert allowed(lambda v: p.can_record_actual(v, PLAN, units(offices))) == expected
    nobody_outside(lambda v: p.can_record_actual(v, PLAN, units(offices)))


def test_the_summary_draft_and_the_comparison_are_internal():
    assert allowed(lambda v: p.can_view_summary(v, PLAN)) == {"admin", "office"}
    nobody_outside(lambda v: p.can_view_summary(v, PLAN))
    assert allowed(p.can_compare_plans) == {"admin", "office"}
    assert not any(p.can_compare_plans(viewer(role, None)) for role in ROLES)


def test_only_the_bureau_office_drafts_next_term():
    assert allowed(p.can_draft_next_term) == {"admin"}
    assert not any(p.can_draft_next_term(viewer(role, None)) for role in ROLES)


# ---------------------------------------------------------------- loading an item


def test_load_item_gives_the_units_in_their_order(seeded):
    from sqlalchemy import select

    from eduplan.ledger.db import connect, sessions
    from eduplan.ledger.models import Item

    engine = connect(seeded["url"])
    try:
        with sessions(engine)() as session:
            item_id = session.scalars(select(Item.id).where(Item.title == "开学工作检查")).one()
            item, plan, names = p.load_item(session, item_id)
            assert (item.id, plan.id) == (item_id, seeded["plan_id"])
            assert [u.name for u in names] == ["基教股", "各学校"]
            assert [u.name for u in p.item_units(session, item_id)] == ["基教股", "各学校"]
            assert p.load_item(session, 999_999) is None
    finally:
        engine.dispose()


def test_load_item_in_one_statement_matches_the_item_plan_and_units_read_apart(seeded):
    """``load_item`` reads item, plan and units in one joined statement: for every item of the
    ledger (one with no units too) it gives what reading each apart gives."""
    from sqlalchemy import delete, select

    from eduplan.ledger.db import connect, sessions
    from eduplan.ledger.models import Item, ItemUnit

    engine = connect(seeded["url"])
    try:
        with sessions(engine)() as session:
            ids = list(session.scalars(select(Item.id).order_by(Item.id)))
            assert len(ids) >= 2
            session.execute(delete(ItemUnit).where(ItemUnit.item_id == ids[-1]))
            session.flush()
            for item_id in ids:
                item, plan, units = p.load_item(session, item_id)
                alone = session.get(Item, item_id)
                assert item is alone and plan is session.get(Plan, alone.plan_id)
                assert [u.id for u in units] == [u.id for u in p.item_units(session, item_id)]
            assert p.load_item(session, ids[-1])[2] == []
            assert any(len(p.load_item(session, i)[2]) > 1 for i in ids)
            session.rollback()
    finally:
        engine.dispose()
