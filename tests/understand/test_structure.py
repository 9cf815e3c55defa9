"""Structure of schedules and tables, each case written by hand in words of its own (not the
corpus's), with its answer worked out by hand: text tables recovered from pipes and from one
cell per line, weekday-column grids, English-labelled day rows, week rows of day numbers,
numbered entries run together, goal lists, and what lowers an item's confidence.
"""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.read import read_bytes
from eduplan.understand import understand
from eduplan.understand.confidence import SURE, capped, unread_dates
from eduplan.understand.grid import recover_tables, split_row
from eduplan.understand.headingwords import section_kind
from eduplan.understand.inline import split_inline
from eduplan.understand.lines import logical_lines
from eduplan.understand.tablewords import header_role


def parse(text: str, year: int | None = None):
    return understand(read_bytes(text.encode("utf-8"), "doc.txt"), year=year)


def rows(plan):
    return [(i.title, i.start, i.end) for i in plan.items]


# --------------------------------------------------------------------------- header words


@pytest.mark.parametrize(
    ("cell", "role"),
    [
        ("周次", "week"),
        ("星期三", "weekday:2"),
        ("周日", "weekday:6"),
        ("Fri", "weekday:4"),
        ("日", "weekday:6"),
        ("备 注", "detail"),
        ("活动及内容", "task"),
        ("周主题", "theme"),
        ("月主题", "theme"),
        ("完成情况", "progress"),
        ("起止日期", "time"),
        ("牵头单位", "units"),
        ("2019年", None),
        ("组织开展春季运动会", None),
    ],
)
def test_header_roles(cell, role):
    assert header_role(cell) == role


# --------------------------------------------------------------------------- split rows


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| 周次 | 日期 | 内容 |", ["周次", "日期", "内容"]),
        ("第3周｜3.9-3.15｜家长会", ["第3周", "3.9-3.15", "家长会"]),
        ("没有分隔符的一行字", None),
        ("| 只有一格 |", None),
    ],
)
def test_split_row(line, cells):
    assert split_row(line) == cells


def test_pipe_table_rows_are_read_under_their_header():
    plan = parse(
        "某小学2023年春季学期行事历\n"
        "| 周次 | 起止日期 | 工作内容 |\n"
        "|---|---|---|\n"
        "| 第1周 | 2.13-2.19 | 开学典礼及安全教育 |\n"
        "| 第2周 | 2.20-2.26 | 学雷锋志愿服务启动 |\n"
    )
    assert rows(plan) == [
        ("开学典礼及安全教育", date(2023, 2, 13), date(2023, 2, 19)),
        ("学雷锋志愿服务启动", date(2023, 2, 20), date(2023, 2, 26)),
    ]


def _recovered(lines: list[str]) -> list[list[str] | str]:
    """Each logical line after text table recovery: its cells where it is a row, else its text."""
    return [ln.orig_cells if ln.cells is not None else ln.orig for ln in recover_tables(logical_lines(lines))]


@pytest.mark.parametrize(
    ("pipe_lines", "expected"),
    [
        # a title written across the table's first row: text, not a row
        (
            ["| 某实验小学2031学年行事历 |  |  |", "| 周次 | 日期 | 内容 |", "| 1 | 9.1 | 开学典礼 |"],
            ["某实验小学2031学年行事历", ["周次", "日期", "内容"], ["1", "9.1", "开学典礼"]],
        ),
        # a note in the last cell only, under a line of text: text
        (
            ["校历", "|  |  | （征求意见稿） |", "| 周次 | 日期 | 内容 |", "| 2 | 9.8 | 防震演练 |"],
            ["校历", "（征求意见稿）", ["周次", "日期", "内容"], ["2", "9.8", "防震演练"]],
        ),
        # empty cells before the one filled cell, nothing after it: the entry's text alone
        (
            ["| 事项 | 3月5日 植树活动 |", "|  | 3月9日 家长开放日 |  |  |"],
            [["事项", "3月5日 植树活动"], "3月9日 家长开放日"],
        ),
        # a numbered line in the second cell of two: text, its number a list number
        (
            ["| 教材 | 甲书 |", "|  | 1、图像处理导论 |", "|  | 2、模式识别讲义 |"],
            [["教材", "甲书"], "1、图像处理导论", "2、模式识别讲义"],
        ),
        # one filled cell, not the first, of three or more under a row: the row goes on
        (
            ["| 周次 | 日期 | 内容 |", "| 3 | 9.15 | 运动会 |", "|  |  | 颁奖 |"],
            [["周次", "日期", "内容"], ["3", "9.15", "运动会"], ["", "", "颁奖"]],
        ),
        # empty cells after the last filled one are not cells of the row
        (
            ["| 周次 | 内容 |  |", "| 4 | 秋游 |  |  |"],
            [["周次", "内容"], ["4", "秋游"]],
        ),
        # a row of empty cells only is no line
        (["| 周次 | 内容 |", "|  |  |  |", "| 5 | 家长会 |"], [["周次", "内容"], ["5", "家长会"]]),
    ],
)
def test_pipe_rows_keep_the_cells_and_roles_of_tab_rows(pipe_lines, expected):
    assert _recovered(pipe_lines) == expected
    # the same rows with TAB between the cells (the reader's form of a real table) read alike
    tab_lines = ["\t".join(c.strip() for c in ln.strip().strip("|").split("|")) for ln in pipe_lines]
    assert _recovered(tab_lines) == expected


def test_pipe_title_and_note_rows_are_no_items():
    plan = parse(
        "| 某实验小学2031学年第一学期行事历 |  |  |\n"
        "|  |  | （征求意见稿） |\n"
        "| 周次 | 起止日期 | 工作内容 |\n"
        "| 第1周 | 9.1-9.7 | 开学典礼 |\n"
        "| 第2周 | 9.8-9.14 | 消防演练 |\n"
    )
    assert rows(plan) == [
        ("开学典礼", date(2031, 9, 1), date(2031, 9, 7)),
        ("消防演练", date(2031, 9, 8), date(2031, 9, 14)),
    ]


def test_weekday_grid_flattened_one_cell_per_line_is_dated_from_its_day_numbers():
    # 2024-09-02 is a Monday; the first row starts on a Tuesday (Monday empty), the second
    # crosses into October after 9/30, and the remark column holds the events.
    cells = ["周次", "周一", "周二", "周三", "周四", "周五", "周六", "周日", "备注"]
    cells += ["一", "", "9/3", "4", "5", "6", "7", "8", "新生入学教育"]
    cells += ["二", "30", "10/1", "2", "3", "4", "5", "6", "国庆放假"]
    text = "某中学2024~2025学年度第一学期校历\n" + "\n|\n".join(cells) + "\n|\n"
    plan = parse(text)
    assert rows(plan) == [
        ("新生入学教育", date(2024, 9, 3), date(2024, 9, 8)),
        ("国庆放假", date(2024, 9, 30), date(2024, 10, 6)),
    ]


# --------------------------------------------------------------------------- anchor rows


def test_english_month_headings_and_day_rows():
    # 2023-03-06 is a Monday; 27-02 Mon-Sun runs from 27 March to 2 April.
    plan = parse(
        "2023 Mar\n06 Mon\n家長教師會議\n家長教師會議\n27-02 Mon-Sun\n學校假期\n2023 Apr\n10 Mon\n復課\n"
    )
    assert rows(plan) == [
        ("家長教師會議", date(2023, 3, 6), date(2023, 3, 6)),  # printed twice in one row: once
        ("學校假期", date(2023, 3, 27), date(2023, 4, 2)),
        ("復課", date(2023, 4, 10), date(2023, 4, 10)),
    ]


def test_week_rows_of_seven_day_numbers_take_their_month_from_a_dated_entry():
    # Sunday-first rows; 9/8 dates the first row (2019-09-08 is a Sunday).
    plan = parse(
        "2019学年第一学期幼儿园行事历\n"
        "1 2 3 4 5 6 7 开学准备\n"
        "8 9 10 11 12 13 14 9/8家长座谈\n"
        "小班适应活动\n"
        "15 16 17 18 19 20 21 中秋游园\n"
    )
    assert rows(plan) == [
        ("开学准备", date(2019, 9, 1), date(2019, 9, 7)),
        ("9/8家长座谈", date(2019, 9, 8), date(2019, 9, 8)),  # its own date narrows the week
        ("小班适应活动", date(2019, 9, 8), date(2019, 9, 14)),
        ("中秋游园", date(2019, 9, 15), date(2019, 9, 21)),
    ]


# --------------------------------------------------------------------------- several entries


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("1.整理档案。2.检查食堂。3.布置考场。", ["1.整理档案。", "2.检查食堂。", "3.布置考场。"]),
        ("(一)后勤保障1、维修校舍;2、添置桌椅", ["(一)后勤保障", "1、维修校舍;", "2、添置桌椅"]),
        # a new 1. with a 2. after it starts again
        ("1、甲。2、乙。1、丙。2、丁。", ["1、甲。", "2、乙。", "1、丙。", "2、丁。"]),
        ("经费增长3.5个百分点。2.好", ["经费增长3.5个百分点。2.好"]),  # 3.5 is a number
        ("评出第1、2名", ["评出第1、2名"]),
        ("只有一条:1.召开会议", ["只有一条:1.召开会议"]),  # no second link: no split
    ],
)
def test_split_inline(text, pieces):
    assert split_inline(text) == pieces


def test_numbered_entries_in_one_table_cell_are_items_of_the_row():
    plan = parse(
        "某幼儿园2022年第十周工作安排\n"
        "周次\t起止日期\t工作内容\n"
        "第10周\t4.25-4.29\t1.开展消防演练。 2.召开家委会。 3.完成体检汇总。\n"
    )
    span = (date(2022, 4, 25), date(2022, 4, 29))
    assert rows(plan) == [
        ("开展消防演练", *span),
        ("召开家委会", *span),
        ("完成体检汇总", *span),
    ]


_UNDOTTED_RUN = "1.开展消防演练。 2.召开家委会。 3完成体检汇总。 4.布置考场。"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("doc.txt", f"某幼儿园2022年第十周工作安排\n第10周(4.25-4.29) {_UNDOTTED_RUN}\n"),
        (
            "doc.txt",
            f"某幼儿园2022年第十周工作安排\n周次\t起止日期\t工作内容\n第10周\t4.25-4.29\t{_UNDOTTED_RUN}\n",
        ),
        (
            "doc.html",
            "<html><body><p>某幼儿园2022年第十周工作安排</p><table>"
            "<tr><td>周次</td><td>起止日期</td><td>工作内容</td></tr>"
            f"<tr><td>第10周</td><td>4.25-4.29</td><td>{_UNDOTTED_RUN}</td></tr></table></body></html>",
        ),
    ],
)
def test_a_numbered_run_reads_alike_in_a_line_and_in_a_table_cell(name, data):
    # 3完成… has no dot, so no numbering style reads it: in a line of text it goes on the
    # entry before (2.召开家委会), and a table cell keeps it there too rather than making it an
    # item titled with its bare number.
    plan = understand(read_bytes(data.encode("utf-8"), name), year=None)
    assert [i.title for i in plan.items] == ["开展消防演练", "召开家委会", "布置考场"]
    assert "完成体检汇总" in plan.items[1].text


_WEEK_TABLE = "某幼儿园2022年第十周工作安排\n周次\t起止日期\t工作内容\n第10周\t4.25-4.29\t{}\n\t\t{}\n"


@pytest.mark.parametrize(
    ("name", "data", "titles"),
    [
        # a cell's second paragraph that starts with a bullet is an entry of its own
        ("doc.txt", _WEEK_TABLE.format("●开展消防演练", "●召开家委会"), ["开展消防演练", "召开家委会"]),
        # …and one that goes on the sentence above still joins it
        ("doc.txt", _WEEK_TABLE.format("开展消防演练，", "召开家委会"), ["开展消防演练"]),
        (
            "doc.html",
            "<html><body><p>某幼儿园2022年第十周工作安排</p><table>"
            "<tr><td>周次</td><td>起止日期</td><td>工作内容</td></tr><tr><td>第10周</td><td>4.25-4.29</td>"
            "<td><ul><li>开展消防演练</li><li>召开家委会</li></ul></td></tr></table></body></html>",
            ["开展消防演练", "召开家委会"],
        ),
    ],
)
def test_bulleted_paragraphs_of_a_cell_are_items_of_the_row(name, data, titles):
    plan = understand(read_bytes(data.encode("utf-8"), name), year=None)
    assert [(i.title, i.start, i.end) for i in plan.items] == [
        (t, date(2022, 4, 25), date(2022, 4, 29)) for t in titles
    ]


# --------------------------------------------------------------------------- goal lists


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("总体目标", "goal"),
        ("二、发展目标", "goal"),
        ("目标与任务", None),  # still holds tasks
        ("领导小组", "non_item"),
        ("主要措施", None),
    ],
)
def test_section_kinds(heading, kind):
    assert section_kind(heading) == kind


def test_rates_under_a_goal_label_are_goals_and_measures_stay_items():
    plan = parse(
        "某县教育局2020年工作计划\n"
        "总体目标:\n"
        "1.普及水平:学前三年毛入园率达到95%。\n"
        "2.队伍建设:专任教师培训率100%。\n"
        "一、工作目标\n"
        "1.强化校园安全管理,健全制度。\n"
        "2.协助各校做好招生工作。\n"
    )
    assert [i.title for i in plan.items] == ["强化校园安全管理", "协助各校做好招生工作"]


# --------------------------------------------------------------------------- confidence


@pytest.mark.parametrize(
    ("text", "covered", "unread"),
    [
        ("3/16家长会", [], True),
        ("3/16家长会", [(0, 4)], False),
        ("召开家长会", [], False),
        ("十月组织秋游", [], True),
        ("完成率提高3.5%", [], False),  # a percentage is no date
    ],
)
def test_unread_dates(text, covered, unread):
    assert unread_dates(text, covered) is unread


def test_doubts_cap_confidence():
    assert capped(0.93, []) == 0.93
    assert capped(0.93, ["guessed_year"]) < SURE
    assert capped(0.93, ["guessed_year", "unread_date"]) == 0.6


def test_a_dated_row_under_a_recognised_header_is_sure():
    plan = parse("某小学2021年第一学期行事历\n周次\t起止日期\t工作内容\n第1周\t9.1-9.5\t开学典礼\n")
    assert [(i.title, i.confidence >= SURE) for i in plan.items] == [("开学典礼", True)]
