"""Weekday grids printed side by side, notes under a schedule, make-up days and repeated
headers: each document written by hand in words of its own, its answer worked out by hand
(weekdays checked on a calendar: 2030-08-26 and 2031-02-17 are Mondays).
"""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.read import read_bytes
from eduplan.understand import understand
from eduplan.understand.tablewords import only_header_words


def parse(text: str, year: int | None = None):
    return understand(read_bytes(text.encode("utf-8"), "doc.txt"), year=year)


def spans(plan) -> dict[str, tuple[date | None, date | None]]:
    return {i.title: (i.start, i.end) for i in plan.items}


DAYS = "\t".join("一二三四五六日")
# Two terms side by side. The year and month columns have no header words (as when the header is
# written down the cell and comes out unreadable); the month column names the month the row
# mostly lies in (九 over 26 August … 1 September); notes sit in the first row of each term.
SIDE_BY_SIDE = "\n".join(
    [
        "示范中学2030-2031学年校历",
        f"\t\t周次\t{DAYS}\t说明\t\t\t\t周次\t{DAYS}\t说明",
        "二〇三〇\t九\t第1周\t26\t27\t28\t29\t30\t31\t1\t（1）8月24日新生到校。"
        "\t\t二〇三一\t二\t第1周\t17\t18\t19\t20\t21\t22\t23\t（1）2月16日学生返校。",
        "\t\t第2周\t2\t3\t4\t5\t6\t7\t8\t（2）第3周期中教学检查。"
        "\t\t\t\t第2周\t24\t25\t26\t27\t28\t1\t2\t（2）第2周春季校运会。",
        "\t\t第3周\t9\t10\t11\t12\t13\t14\t15\t\t\t\t\t第3周\t3\t4\t5\t6\t7\t8\t9\t",
    ]
)


def test_side_by_side_terms_are_read_one_after_the_other():
    plan = parse(SIDE_BY_SIDE)
    assert spans(plan) == {
        # the day before its row, in the row's year (not 2031, the period's other year)
        "8月24日新生到校": (date(2030, 8, 24), date(2030, 8, 24)),
        # 第3周 of the first term's own week rows: Monday 9 to Sunday 15 September
        "第3周期中教学检查": (date(2030, 9, 9), date(2030, 9, 15)),
        "2月16日学生返校": (date(2031, 2, 16), date(2031, 2, 16)),
        # 第2周 of the second term, across the month's end
        "第2周春季校运会": (date(2031, 2, 24), date(2031, 3, 2)),
    }
    # the grid's span (26 August – 9 March) widened to the note before it
    assert (plan.period_start, plan.period_end) == (date(2030, 8, 24), date(2031, 3, 9))
    assert not any(i.title.startswith("二〇") for i in plan.items)  # year cells are no work


def test_a_misprinted_day_in_a_week_row_is_the_day_after_the_last():
    text = SIDE_BY_SIDE.replace("\t9\t10\t11\t12\t13\t14\t15\t\t", "\t9\t10\t11\t12\t31\t14\t15\t\t")
    plan = parse(text)
    assert spans(plan)["第3周期中教学检查"] == (date(2030, 9, 9), date(2030, 9, 15))


NOTES = "\n".join(
    [
        "示范小学2030年秋季学期行事历",
        "周次\t日期\t工作内容",
        "第1周\t9.2-9.8\t开学典礼",
        "第2周\t9.9-9.15\t教师节表彰",
        "说明：1、本表如有调整，另行通知。",
        "2、10月1日至7日国庆放假。",
    ]
)


def test_notes_are_no_work_unless_they_date_something():
    plan = parse(NOTES)
    titles = [i.title for i in plan.items]
    assert "本表如有调整" not in " ".join(titles)
    assert spans(plan)["10月1日至7日国庆放假"] == (date(2030, 10, 1), date(2030, 10, 7))
    assert spans(plan)["开学典礼"] == (date(2030, 9, 2), date(2030, 9, 8))


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("1. 9月28日补10月4日的课。", date(2030, 9, 28)),  # the day the classes happen
        ("2. 10月12日（星期六）补10月7日课程。", date(2030, 10, 12)),
    ],
)
def test_a_make_up_day_is_the_day_the_work_happens(line, day):
    plan = parse(f"示范学校2030年工作安排\n{line}")
    (item,) = plan.items
    assert (item.start, item.end) == (day, day)


@pytest.mark.parametrize(
    ("line", "header"),
    [
        ("月份 周次 日 期 行 事 内 容", True),
        ("周次 日期 工作内容 主持者", True),
        ("月份 周次 开学典礼", False),
        ("工作要点", False),  # one header word alone may be a heading
    ],
)
def test_a_line_of_header_words_only(line, header):
    assert only_header_words(line) is header


def test_a_list_number_before_a_date_is_a_marker_not_a_decimal():
    # "1. 9月28日…" reads "1.9月28日" once its space is folded away: still a list of two dated items
    plan = parse("示范学校2030年工作安排\n1. 9月28日召开家长会。\n2. 10月12日召开教师会。")
    assert spans(plan) == {
        "9月28日召开家长会": (date(2030, 9, 28), date(2030, 9, 28)),
        "10月12日召开教师会": (date(2030, 10, 12), date(2030, 10, 12)),
    }
