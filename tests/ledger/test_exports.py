"""Exports of an imported plan read back with independent libraries: iCalendar (icalendar and
vobject), Excel (openpyxl), Word (python-docx) and the plan JSON (read back and re-imported)."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date, timedelta

import icalendar
import openpyxl
import pytest
import vobject
from docx import Document
from sqlalchemy import select

from eduplan.cli.export import ExportFormat, export_bytes
from eduplan.errors import EduplanError
from eduplan.ledger.db import connect
from eduplan.ledger.db import sessions as make_sessions
from eduplan.ledger.exporting import Selection
from eduplan.ledger.importer import import_plan, read_and_import
from eduplan.ledger.models import Item, ItemUnit, Organisation, Term
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.plan import Target as PlanTarget

D = date
BUREAU = "甲县教育局"
TITLE = "甲县教育局2024—2025学年度第一学期工作行事历"
# title, text, start, end, units, section. Week 1 starts Monday 2024-09-02; the term has 3 weeks.
ITEMS = [
    (
        "开学工作检查",
        "开学工作检查：检查校园安全, 教材发放; 食堂卫生",  # ASCII , and ; must be escaped in iCalendar
        D(2024, 9, 2),
        D(2024, 9, 6),
        ["督导室", "各学校"],
        "第1周",
    ),
    ("城关中学教学开放日", "城关中学教学开放日", D(2024, 9, 5), D(2024, 9, 5), ["城关中学"], "第1周"),
    (
        "教师节表彰大会",
        "教师节表彰大会：表彰优秀教师和教育工作者",
        D(2024, 9, 10),
        D(2024, 9, 10),
        ["办公室", "人事股"],
        "第2周",
    ),
    (
        "教学视导",
        # Longer than one 75-octet iCalendar line: folded, and unfolded again by the parsers.
        "教学视导：深入各中小学课堂，检查教学常规落实情况、作业布置与批改、课后服务开展情况，形成视导报告",
        D(2024, 9, 16),
        D(2024, 9, 20),
        ["基教股", "城关中学"],
        "第3周",
    ),
    ("加强师德师风建设", "加强师德师风建设", None, None, ["人事股"], None),
]
CATEGORY = {  # the hosting office: the first unit that is an office, else the lead unit
    "开学工作检查": "督导室",
    "城关中学教学开放日": "城关中学",
    "教师节表彰大会": "办公室",
    "教学视导": "基教股",
}
DATED = [t for t, _, s, *_ in ITEMS if s is not None]


def make_plan(items=ITEMS) -> ParsedPlan:
    return ParsedPlan(
        source={"name": "行事历.txt", "format": "txt"},
        kind="calendar",
        title=TITLE,
        issuer=BUREAU,
        period_start=D(2024, 9, 2),
        period_end=D(2024, 9, 22),
        items=[PlanItem(t, x, s, e, u, sec, n) for n, (t, x, s, e, u, sec) in enumerate(items, start=1)],
        targets=[
            PlanTarget("学前三年毛入园率", "学前三年毛入园率达到88.4%", ">=", 88.4, "%", D(2024, 12, 31), 9)
        ],
    )


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    """Statuses in exports are derived from "today": pin it before the term (nothing overdue)."""
    monkeypatch.setattr("eduplan.ledger.exporting.clock_today", lambda: D(2024, 9, 1))


@pytest.fixture
def plan_id(sessions) -> int:
    with sessions.begin() as session:
        return import_plan(session, make_plan(), b"calendar v1", bureau=BUREAU).plan_id


def export(sessions, fmt: ExportFormat, **selection) -> bytes:
    with sessions() as session:
        return export_bytes(session, fmt, Selection(**selection))


def ledger_items(sessions) -> dict[str, dict]:
    """The live items as stored, by title: uid, text, dates, unit names (lead first)."""
    with sessions() as session:
        items = session.scalars(select(Item).where(Item.removed_in.is_(None))).all()
        result = {}
        for item in items:
            units = session.scalars(
                select(Organisation.name)
                .join(ItemUnit, ItemUnit.org_id == Organisation.id)
                .where(ItemUnit.item_id == item.id)
                .order_by(ItemUnit.position)
            ).all()
            result[item.title] = {
                "uid": item.uid,
                "text": item.text,
                "start": item.start,
                "end": item.end,
                "units": list(units),
            }
        return result


# ---------------------------------------------------------------- iCalendar


def ical_events(data: bytes) -> dict[str, dict]:
    """Events read with the icalendar library, by SUMMARY."""
    calendar = icalendar.Calendar.from_ical(data)
    events = {}
    for event in calendar.walk("VEVENT"):
        categories = event.get("CATEGORIES")
        events[str(event["SUMMARY"])] = {
            "uid": str(event["UID"]),
            "start": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "description": str(event["DESCRIPTION"]),
            "categories": [str(c) for c in categories.cats] if categories else [],
            "sequence": int(event["SEQUENCE"]),
            "status": str(event["STATUS"]),
        }
    assert len(events) == len(calendar.walk("VEVENT")), "two events with one SUMMARY"
    return events


def vobject_events(data: bytes) -> dict[str, dict]:
    """Events read with vobject (a parser independent of icalendar), by SUMMARY."""
    calendar = vobject.readOne(data.decode("utf-8"))
    events = {}
    for event in calendar.vevent_list:
        events[event.summary.value] = {
            "uid": event.uid.value,
            "start": event.dtstart.value,
            "end": event.dtend.value,
            "description": event.description.value,
            "categories": list(event.categories.value),
            "sequence": int(event.sequence.value),
            "status": event.status.value,
        }
    return events


@pytest.mark.parametrize("parse", [ical_events, vobject_events], ids=["icalendar", "vobject"])
def test_every_ics_event_is_a_live_item_of_the_ledger(sessions, plan_id, parse):
    data = export(sessions, ExportFormat.ics, plan_id=plan_id)
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))
    events = parse(data)
    items = ledger_items(sessions)
    assert sorted(events) == sorted(DATED)  # the undated item has no event
    for title, event in events.items():
        item = items[title]
        assert event["uid"] == f"{item['uid']}@eduplan"
        assert event["start"] == item["start"]
        assert event["end"] == item["end"] + timedelta(days=1)  # DTEND is exclusive
        assert item["text"] in event["description"]
        assert "责任单位：" + "、".join(item["units"]) in event["description"]
        assert event["categories"] == [CATEGORY[title]]
        assert (event["sequence"], event["status"]) == (0, "CONFIRMED")


def test_ics_calendar_name_and_dates_written_by_hand(sessions, plan_id):
    data = export(sessions, ExportFormat.ics, plan_id=plan_id)
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["X-WR-CALNAME"]) == TITLE
    events = ical_events(data)
    assert (events["开学工作检查"]["start"], events["开学工作检查"]["end"]) == (D(2024, 9, 2), D(2024, 9, 7))
    assert (events["教师节表彰大会"]["start"], events["教师节表彰大会"]["end"]) == (
        D(2024, 9, 10),
        D(2024, 9, 11),
    )
    assert events["开学工作检查"]["description"].startswith(
        "开学工作检查：检查校园安全, 教材发放; 食堂卫生\n"
    )


def test_ics_uids_are_stable_across_exports_and_revisions(sessions, plan_id):
    first = ical_events(export(sessions, ExportFormat.ics, plan_id=plan_id))
    second = ical_events(export(sessions, ExportFormat.ics, plan_id=plan_id))
    assert {t: e["uid"] for t, e in first.items()} == {t: e["uid"] for t, e in second.items()}

    revised = list(ITEMS)
    revised[2] = ("教师节表彰大会", "教师节表彰大会：表彰优秀教师和优秀班主任", *ITEMS[2][2:])  # changed
    del revised[1]  # 城关中学教学开放日 removed
    revised.append(("国庆安全检查", "国庆安全检查", D(2024, 9, 20), D(2024, 9, 20), ["校安股"], "第3周"))
    with sessions.begin() as session:
        result = import_plan(session, make_plan(revised), b"calendar v2", bureau=BUREAU)
    assert (result.status, result.changed, result.removed) == (
        "revised",
        ["教师节表彰大会"],
        ["城关中学教学开放日"],
    )

    after = ical_events(export(sessions, ExportFormat.ics, plan_id=plan_id))
    assert sorted(after) == sorted(["开学工作检查", "教师节表彰大会", "教学视导", "国庆安全检查"])
    for title in ("开学工作检查", "教学视导"):  # unchanged
        assert after[title]["uid"] == first[title]["uid"]
        assert after[title]["sequence"] == 0
    assert after["教师节表彰大会"]["uid"] == first["教师节表彰大会"]["uid"]  # changed: same event
    assert after["教师节表彰大会"]["sequence"] == 1  # ... a newer revision of it
    assert "优秀班主任" in after["教师节表彰大会"]["description"]
    assert after["国庆安全检查"]["uid"] not in {e["uid"] for e in first.values()}


def test_ics_status_is_derived_on_the_day_of_the_export(sessions, plan_id, monkeypatch):
    monkeypatch.setattr("eduplan.ledger.exporting.clock_today", lambda: D(2024, 9, 12))
    events = ical_events(export(sessions, ExportFormat.ics, plan_id=plan_id))
    assert "状态：已逾期" in events["开学工作检查"]["description"]  # ended 09-06, still open
    assert "状态：未开始" in events["教学视导"]["description"]  # starts 09-16


def test_a_cancelled_item_is_a_cancelled_event(sessions, plan_id):
    with sessions.begin() as session:
        session.scalars(select(Item).where(Item.title == "教学视导")).one().status = "cancelled"
    events = vobject_events(export(sessions, ExportFormat.ics, plan_id=plan_id))
    assert events["教学视导"]["status"] == "CANCELLED"
    assert "状态：已取消" in events["教学视导"]["description"]
    assert events["开学工作检查"]["status"] == "CONFIRMED"


FILTER_CASES = [  # selection, the events exported
    ({"office": "办公室"}, ["教师节表彰大会"]),
    ({"office": "督导室"}, ["开学工作检查"]),
    ({"office": "人事股"}, ["教师节表彰大会"]),  # a co-unit; its undated item has no event
    ({"school": "城关中学"}, ["开学工作检查", "城关中学教学开放日", "教学视导"]),  # with 各学校
]


def test_an_office_or_school_export_has_only_its_items(sessions, plan_id):
    for selection, expected in FILTER_CASES:
        data = export(sessions, ExportFormat.ics, bureau=BUREAU, **selection)
        assert sorted(ical_events(data)) == sorted(expected), selection
        name = next(iter(selection.values()))
        assert str(icalendar.Calendar.from_ical(data)["X-WR-CALNAME"]) == f"{BUREAU}工作行事历（{name}）"


def test_an_export_of_an_unknown_plan_or_office_is_a_chinese_error(sessions, plan_id):
    with pytest.raises(EduplanError, match=r"没有编号为 999 的计划"):
        export(sessions, ExportFormat.ics, plan_id=999)
    with pytest.raises(EduplanError, match=r"找不到科室“不存在股”"):
        export(sessions, ExportFormat.xlsx, plan_id=plan_id, office="不存在股")


# ---------------------------------------------------------------- Excel


def test_xlsx_has_the_printed_layout_and_every_item_once(sessions, plan_id):
    data = export(sessions, ExportFormat.xlsx, plan_id=plan_id)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["行事历"]
    sheet = workbook["行事历"]
    assert sheet.cell(1, 1).value == TITLE
    assert [sheet.cell(2, c).value for c in range(1, 7)] == [
        "月份",
        "周次",
        "起止日期",
        "工作要点",
        "要求与说明",
        "主持者",
    ]
    points = [sheet.cell(r, 4).value for r in range(3, sheet.max_row + 1)]
    assert Counter(points) == Counter(t for t, *_ in ITEMS)
    assert sheet.page_setup.orientation == "landscape"

    # Week 1 has two items (rows 3-4): its 月份/周次/起止日期 cells are merged over both.
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:F1", "A3:A4", "B3:B4", "C3:C4"} <= merged
    rows = [[sheet.cell(r, c).value for c in range(1, 7)] for r in range(3, 8)]
    assert rows[0][:4] == ["9月", "第一周", "9.2—9.8", "开学工作检查"]
    assert rows[0][5] == "督导室、各学校"
    assert rows[1][3:] == ["城关中学教学开放日", None, "城关中学"]
    # 中秋节 2024: 09-15..09-17 off, Saturday 09-14 worked.
    assert rows[2][1:4] == ["第二周", "9.9—9.15\n中秋节放假\n（9.15）\n9.14（周六）上班", "教师节表彰大会"]
    assert rows[2][4:] == ["表彰优秀教师和教育工作者", "办公室、人事股"]
    assert rows[3][1:4] == ["第三周", "9.16—9.22\n中秋节放假\n（9.16—9.17）", "教学视导"]
    assert rows[4][1:4] == ["其他", None, "加强师德师风建设"]


def test_xlsx_by_office_adds_a_sheet_per_office(sessions, plan_id):
    with sessions() as session:
        data = export_bytes(session, ExportFormat.xlsx, Selection(plan_id=plan_id), by_office=True)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["行事历", "督导室", "城关中学", "办公室", "基教股", "人事股"]
    sheet = workbook["办公室"]
    points = [sheet.cell(r, 4).value for r in range(3, sheet.max_row + 1)]
    assert [p for p in points if p] == ["教师节表彰大会"]


# ---------------------------------------------------------------- Word


def test_docx_month_table_has_every_item(sessions, plan_id):
    data = export(sessions, ExportFormat.docx, plan_id=plan_id)
    document = Document(io.BytesIO(data))
    assert document.paragraphs[0].text.replace("\n", "") == TITLE
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["月份", "序号", "内容", "主办股室"]
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    contents = [row[2] for row in body]
    for title, *_ in ITEMS:
        assert sum(text.startswith(title) for text in contents) == 1, title
    # September's four items numbered 1-4 in date order, then the undated one under 其他.
    assert [(row[0], row[1]) for row in body] == [
        ("9月", "1"),
        ("9月", "2"),
        ("9月", "3"),
        ("9月", "4"),
        ("其他", "1"),
    ]
    assert body[2][2:] == ["教师节表彰大会：表彰优秀教师和教育工作者", "办公室、人事股"]


def test_docx_week_layout_is_landscape_with_week_headers(sessions, plan_id):
    with sessions() as session:
        data = export_bytes(session, ExportFormat.docx, Selection(plan_id=plan_id), layout="week")
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.page_width > section.page_height
    table = document.tables[0]
    headers = ["月份", "周次", "起止日期", "工作要点", "要求与说明", "主持者"]
    assert [c.text for c in table.rows[0].cells] == headers
    points = [row.cells[3].text for row in table.rows[1:]]
    assert Counter(points) == Counter(t for t, *_ in ITEMS)


# ---------------------------------------------------------------- plan JSON


def expected_items():
    """The items as the ledger lists them: dated ones by start date, the undated one last."""
    dated = sorted((i for i in ITEMS if i[2] is not None), key=lambda i: i[2])
    return [(t, x, s, e, u) for t, x, s, e, u, _ in [*dated, *(i for i in ITEMS if i[2] is None)]]


def test_json_export_is_the_plan_contract_of_the_ledger(sessions, plan_id):
    from eduplan.plan import Plan

    plan = Plan.from_json(json.loads(export(sessions, ExportFormat.json, plan_id=plan_id)))
    assert (plan.kind, plan.title, plan.issuer) == ("calendar", TITLE, BUREAU)
    assert (plan.period_start, plan.period_end) == (D(2024, 9, 2), D(2024, 9, 22))
    assert [(i.title, i.text, i.start, i.end, i.departments) for i in plan.items] == expected_items()
    assert [i.section for i in plan.items] == ["第1周", "第1周", "第2周", "第3周", None]
    assert [(t.indicator, t.op, t.value, t.unit) for t in plan.targets] == [
        ("学前三年毛入园率", ">=", 88.4, "%")
    ]


def test_json_export_re_imported_into_a_fresh_ledger_gives_the_same_items(sessions, plan_id, tmp_path):
    data = export(sessions, ExportFormat.json, plan_id=plan_id)
    engine = connect(f"sqlite:///{tmp_path / 'second.db'}")
    try:
        fresh = make_sessions(engine)
        with fresh.begin() as session:
            result = read_and_import(session, data, "导出.json")
        assert (result.status, result.bureau, result.items, result.targets) == ("created", BUREAU, 5, 1)
        copied = ledger_items(fresh)
        original = ledger_items(sessions)
        strip = lambda items: {t: {k: v for k, v in i.items() if k != "uid"} for t, i in items.items()}  # noqa: E731
        assert strip(copied) == strip(original)
        assert {t: (i["start"], i["end"], i["units"]) for t, i in copied.items()} == {
            t: (s, e, u) for t, _, s, e, u in expected_items()
        }
        with fresh() as session:
            term = session.scalars(select(Term)).one()
            assert (term.week1_start, [w.number for w in term.weeks]) == (D(2024, 9, 2), [1, 2, 3])
    finally:
        engine.dispose()
