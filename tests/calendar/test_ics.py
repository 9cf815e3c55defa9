"""iCalendar export: parsed back by two independent parsers (icalendar and vobject) and compared,
event by event, with the rows it was made from; expected values are written out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import icalendar
import pytest
import vobject

from eduplan.calendar.ics import render_ics
from eduplan.calendar.model import CalendarDoc, CalendarRow, Week

CST = timezone(timedelta(hours=8))
UPDATED = datetime(2020, 9, 10, 9, 30, tzinfo=CST)  # 01:30 UTC


def sample_doc(generated: datetime | None = datetime(2020, 9, 15, 8, 0, tzinfo=CST)) -> CalendarDoc:
    """An autumn term with Sunday-start weeks, a row spanning weeks, a row without dates, a row
    after the last week, Traditional script, a cancelled row on a holiday with a lunar date."""
    weeks = [
        Week(0, date(2020, 9, 20), date(2020, 9, 26)),
        Week(1, date(2020, 9, 27), date(2020, 10, 3)),
        Week(2, date(2020, 10, 4), date(2020, 10, 10)),
    ]
    rows = [
        CalendarRow(
            "item-1@eduplan", "开学准备工作检查", "开学准备工作检查：各校排查校舍安全。",
            date(2020, 9, 21), date(2020, 9, 23), ("安全股", "各学校"), office="安全股",
            status="已完成", sequence=2, updated=UPDATED,
        ),
        CalendarRow("item-2@eduplan", "召开全县教育工作会议", "", date(2020, 9, 25), None, ("办公室",)),
        CalendarRow(
            "item-4@eduplan", "秋季学期教学常规检查", "检查备课、作业；各校自查, 10月20日前上报",
            date(2020, 9, 29), date(2020, 10, 20), ("教研室",), status="进行中",
        ),
        CalendarRow(
            "item-3@eduplan", "國慶假期安全教育", "各校於放假前開展安全教育，發放《致家長的一封信》。",
            date(2020, 9, 30), date(2020, 9, 30), ("德育股", "各學校"), office="德育股",
        ),
        CalendarRow(
            "item-5@eduplan", "国庆节升旗仪式", "", date(2020, 10, 1), date(2020, 10, 1), ("德育股",),
            status="已取消", lunar="农历八月十五", holiday="国庆节",
        ),
        CalendarRow("item-7@eduplan", "冬季安全检查", "", date(2020, 12, 1), None, ("安全股",)),
        CalendarRow("item-6@eduplan", "督学责任区挂牌督导", "每月到校不少于一次。", None, None, ("督导室",)),
    ]  # fmt: skip
    return CalendarDoc(
        title="某县教育局2020—2021学年度第一学期行事历",
        calname="某县教育局行事历",
        rows=rows,
        weeks=weeks,
        holidays={date(2020, 10, 1) + timedelta(days=i): "国庆节" for i in range(8)},
        generated=generated,
    )


# uid: (summary, dtstart, exclusive dtend, category, status, description fragments)
EXPECTED = {
    "item-1@eduplan": (
        "开学准备工作检查", date(2020, 9, 21), date(2020, 9, 24), "安全股", "CONFIRMED",
        ["开学准备工作检查：各校排查校舍安全。", "责任单位：安全股、各学校", "状态：已完成"],
    ),
    "item-2@eduplan": (
        "召开全县教育工作会议", date(2020, 9, 25), date(2020, 9, 26), "办公室", "CONFIRMED",
        ["责任单位：办公室", "状态：未开始"],
    ),
    "item-4@eduplan": (
        "秋季学期教学常规检查", date(2020, 9, 29), date(2020, 10, 21), "教研室", "CONFIRMED",
        ["检查备课、作业；各校自查, 10月20日前上报", "责任单位：教研室", "状态：进行中"],
    ),
    "item-3@eduplan": (
        "國慶假期安全教育", date(2020, 9, 30), date(2020, 10, 1), "德育股", "CONFIRMED",
        ["各校於放假前開展安全教育，發放《致家長的一封信》。", "责任单位：德育股、各學校"],
    ),
    "item-5@eduplan": (
        "国庆节升旗仪式", date(2020, 10, 1), date(2020, 10, 2), "德育股", "CANCELLED",
        ["责任单位：德育股", "状态：已取消", "农历八月十五", "国庆节"],
    ),
    "item-7@eduplan": (
        "冬季安全检查", date(2020, 12, 1), date(2020, 12, 2), "安全股", "CONFIRMED",
        ["责任单位：安全股"],
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def ics() -> bytes:
    return render_ics(sample_doc())


def test_calendar_properties(ics: bytes) -> None:
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//eduplan//行事历//ZH"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "某县教育局行事历"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"


def test_every_event_matches_its_row_icalendar(ics: bytes) -> None:
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == list(EXPECTED)
    for event in events:
        summary, start, end, category, status, fragments = EXPECTED[str(event["UID"])]
        assert str(event["SUMMARY"]) == summary
        assert event.decoded("DTSTART") == start and not isinstance(event.decoded("DTSTART"), datetime)
        assert event.decoded("DTEND") == end and not isinstance(event.decoded("DTEND"), datetime)
        assert [str(c) for c in event["CATEGORIES"].cats] == [category]
        assert str(event["STATUS"]) == status
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert event.decoded("DTSTAMP") == datetime(2020, 9, 15, 0, 0, tzinfo=UTC)
        description = str(event["DESCRIPTION"])
        for fragment in fragments:
            assert fragment in description


def test_every_event_matches_its_row_vobject(ics: bytes) -> None:
    cal = vobject.readOne(ics.decode("utf-8"))
    assert cal.x_wr_calname.value == "某县教育局行事历"
    events = cal.vevent_list
    assert [e.uid.value for e in events] == list(EXPECTED)
    for event in events:
        summary, start, end, category, status, fragments = EXPECTED[event.uid.value]
        assert event.summary.value == summary
        assert event.dtstart.value == start and not isinstance(event.dtstart.value, datetime)
        assert event.dtend.value == end
        assert event.categories.value == [category]
        assert event.status.value == status
        assert event.dtstamp.value == datetime(2020, 9, 15, 0, 0, tzinfo=UTC)
        for fragment in fragments:
            assert fragment in event.description.value


def test_sequence_and_last_modified(ics: bytes) -> None:
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
    assert events["item-1@eduplan"].decoded("SEQUENCE") == 2
    assert events["item-1@eduplan"].decoded("LAST-MODIFIED") == datetime(2020, 9, 10, 1, 30, tzinfo=UTC)
    assert events["item-2@eduplan"].decoded("SEQUENCE") == 0
    assert "LAST-MODIFIED" not in events["item-2@eduplan"]


def test_row_without_dates_is_left_out(ics: bytes) -> None:
    assert b"item-6@eduplan" not in ics
    assert "督学责任区挂牌督导".encode() not in ics


def test_uids_are_stable_across_renders() -> None:
    first = render_ics(sample_doc(generated=None))
    second = render_ics(sample_doc(generated=None))
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(first).walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in icalendar.Calendar.from_ical(second).walk("VEVENT")]
    assert uids == list(EXPECTED)
    assert render_ics(sample_doc()) == render_ics(sample_doc())


def test_dtstamp_without_generated_is_utc() -> None:
    events = {
        str(e["UID"]): e for e in icalendar.Calendar.from_ical(render_ics(sample_doc(None))).walk("VEVENT")
    }
    # Row 1 has an update time: its DTSTAMP is that moment in UTC.
    assert events["item-1@eduplan"].decoded("DTSTAMP") == datetime(2020, 9, 10, 1, 30, tzinfo=UTC)
    for event in events.values():
        assert event.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert b"DTSTAMP:20200910T013000Z\r\n" in render_ics(sample_doc(None))


def test_lines_are_folded_at_75_octets_with_crlf(ics: bytes) -> None:
    assert ics.endswith(b"END:VCALENDAR\r\n")
    assert ics.count(b"\n") == ics.count(b"\r\n")
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no line ends inside a multi-byte character


def test_escaping_and_folding_round_trip() -> None:
    text = "反斜杠\\分号;逗号,冒号:换行\n第二行\r\n第三行" + "很长的要求" * 40 + "\x07响铃"
    row = CalendarRow("x@eduplan", "标题;带,符号\\", text, date(2021, 3, 1), date(2021, 3, 5), ("甲",))
    ics = render_ics(CalendarDoc("t", "c", [row], generated=datetime(2021, 1, 1, tzinfo=UTC)))
    for line in ics.split(b"\r\n"):
        assert len(line) <= 75
    expected = "反斜杠\\分号;逗号,冒号:换行\n第二行\n第三行" + "很长的要求" * 40 + "响铃"
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "标题;带,符号\\"
    assert str(event["DESCRIPTION"]).startswith(expected + "\n责任单位：甲")
    vevent = vobject.readOne(ics.decode("utf-8")).vevent
    assert vevent.summary.value == "标题;带,符号\\"
    assert vevent.description.value.startswith(expected + "\n责任单位：甲")
    assert vevent.dtend.value == date(2021, 3, 6)


def test_empty_calendar_is_valid() -> None:
    ics = render_ics(CalendarDoc("t", "空日历"))
    cal = icalendar.Calendar.from_ical(ics)
    assert cal.walk("VEVENT") == []
    assert vobject.readOne(ics.decode("utf-8")).x_wr_calname.value == "空日历"
