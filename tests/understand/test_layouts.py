"""Layouts of the genre, each a small hand-written document with answers worked out by hand.

These cover layouts the dev corpus lacks (real tables with 责任单位/协同配合单位 columns,
one row per date, (责任科室:…) markers) so the parser is held to structure, not to corpus words.
"""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.read import read_bytes
from eduplan.understand import understand
from eduplan.understand.units import is_unit_name, split_units, trailing_units, unit_only
from eduplan.understand.unitwords import KNOWN_UNITS


def parse(text: str, year: int | None = None):
    return understand(read_bytes(text.encode("utf-8"), "doc.txt"), year=year)


def spans(plan):
    return [(i.start, i.end, i.departments) for i in plan.items]


def test_narrative_plan_with_responsibility_markers():
    plan = parse(
        "某某县教育局2022年教育工作要点\n"
        "一、加强党的建设\n"
        "1.深化党史学习教育。组织全系统开展专题学习。(责任科室:党建办、组织人事股)\n"
        "2.落实全面从严治党。(牵头单位:纪检组;配合单位:办公室)\n"
        "二、推进教育优质均衡\n"
        "3.推进集团化办学。(责任科室:基教股)\n"
    )
    assert plan.kind == "plan"
    assert plan.issuer == "某某县教育局"
    assert (plan.period_start, plan.period_end) == (date(2022, 1, 1), date(2022, 12, 31))
    year = (date(2022, 1, 1), date(2022, 12, 31))
    assert spans(plan) == [
        (*year, ["党建办", "组织人事股"]),
        (*year, ["纪检组", "办公室"]),
        (*year, ["基教股"]),
    ]
    assert [i.title for i in plan.items] == ["深化党史学习教育", "落实全面从严治党", "推进集团化办学"]


def test_table_calendar_with_lead_and_co_units_and_merged_week_cells():
    plan = parse(
        "某某县教育局2021年秋季学期工作行事历\n"
        "周次\t起止日期\t工作内容\t责任单位\t协同配合单位\n"
        "第1周\t8月30日-9月5日\t秋季开学工作检查\t督导室\t各学校\n"
        "\t\t教师节表彰筹备\t人事股、工会\t\n"
        "第2周\t9.6-9.12\t庆祝教师节系列活动\t工会\t各学校\n"
    )
    assert plan.kind == "calendar"
    week1, week2 = (date(2021, 8, 30), date(2021, 9, 5)), (date(2021, 9, 6), date(2021, 9, 12))
    assert spans(plan) == [
        (*week1, ["督导室", "各学校"]),
        (*week1, ["人事股", "工会"]),  # the merged week cell carries down
        (*week2, ["工会", "各学校"]),
    ]
    assert (plan.period_start, plan.period_end) == (date(2021, 8, 30), date(2021, 9, 12))


def test_one_row_per_date_calendar():
    plan = parse(
        "某某区教育局2023年3月工作安排\n"
        "3月1日(周三) 召开全区教育工作会议 办公室\n"
        "3月15日-3月17日 中小学教学视导 教研室\n"
        "3月下旬 全国中小学生安全教育日主题活动 安全股\n"
    )
    assert (plan.period_start, plan.period_end) == (date(2023, 3, 1), date(2023, 3, 31))
    assert spans(plan) == [
        (date(2023, 3, 1), date(2023, 3, 1), ["办公室"]),
        (date(2023, 3, 15), date(2023, 3, 17), ["教研室"]),
        (date(2023, 3, 21), date(2023, 3, 31), ["安全股"]),
    ]


def test_glued_week_calendar_rows_with_trailing_units():
    # The 行事历 layout of a scraped page: month, week and first date glued ("32" + "3.7").
    plan = parse(
        "某县教育局2020—2021学年度第二学期教育工作行事历\n"
        "日期\t工作要点\t要求与说明\t主持者\n"
        "323.7\n    |\n    3.13\n"
        "△完成学生异动手续开学后一个月内完成基教股\n    各学校\n"
        "△高校单招报名考试\n招考办\n"
        "43.14\n    |\n    3.20\n"
        "△召开教育工会年度工作会具体见通知教育工会\n"
    )
    w2, w3 = (date(2021, 3, 7), date(2021, 3, 13)), (date(2021, 3, 14), date(2021, 3, 20))
    assert spans(plan) == [(*w2, ["基教股", "各学校"]), (*w2, ["招考办"]), (*w3, ["教育工会"])]
    assert plan.kind == "calendar"


def test_month_arrangement_with_stated_durations():
    plan = parse(
        "某县教育局2019年主要工作安排\n时间\n序号\n内容\n主办股室\n"
        "1月\n1\n期末考试评卷组织工作\n教研室\n2\n骨干教师培训(1月—11月)\n师 培 股\n"
        "7-8月\n1\n暑期教师培训\n师培股\n",
    )
    assert spans(plan) == [
        (date(2019, 1, 1), date(2019, 1, 31), ["教研室"]),
        (date(2019, 1, 1), date(2019, 11, 30), ["师培股"]),
        (date(2019, 7, 1), date(2019, 8, 31), ["师培股"]),
    ]


def test_sections_are_not_items_and_goal_paragraphs_are_skipped():
    plan = parse(
        "某县教育局2020年工作计划\n一、指导思想\n坚持立德树人。\n二、主要措施\n(一)抓党建\n"
        "1.加强支部建设。\n2.加强廉政建设。\n(二)提升教学质量。全面推进课堂改革。\n"
    )
    assert [i.title for i in plan.items] == ["加强支部建设", "加强廉政建设", "提升教学质量"]


def test_plan_printed_twice_holds_its_items_once():
    body = "".join(
        f"{n}.第{n}项重点工作要认真组织实施。各单位要明确责任人和完成时限,按期完成各项任务并报送材料。\n"
        for n in range(1, 11)
    )
    plan = parse("某县教育局2021年工作计划\n一、重点工作\n" + body + body)
    assert len(plan.items) == 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("基教股职成民管股", ["基教股", "职成民管股"]),
        ("人事股         师训股", ["人事股", "师训股"]),
        ("基教股(团工委)、各学校", ["基教股(团工委)", "各学校"]),
        ("党 办", ["党办"]),
        ("教研室、基教股、各初中学校", ["教研室", "基教股", "各初中学校"]),
        ("基教股、教研室、基教股", ["基教股", "教研室"]),  # a repeat is kept once
        ("基教股基教股", ["基教股"]),
        # A unit name followed by a tail that is no unit is not cut there: 办公室负责人 is a
        # person (the office's head), not 办公室 and a unit called 负责人.
        ("办公室负责人", ["办公室负责人"]),
        ("基教股职成民管股负责人", ["基教股职成民管股负责人"]),
    ],
)
def test_split_units(text, expected):
    assert split_units(text) == expected


def test_a_unit_name_with_a_non_unit_tail_is_no_unit():
    assert is_unit_name("办公室") and not is_unit_name("负责人")
    assert not is_unit_name("办公室负责人")
    assert unit_only("办公室负责人") is None
    assert unit_only("办公室、基教股") == ["办公室", "基教股"]


def test_a_unit_repeated_in_one_item_is_responsible_once():
    calendar = parse(
        "某县教育局2024年秋季学期工作行事历\n周次\t日期\t工作内容\t责任股室\t配合单位\n"
        "1\t9.2—9.6\t开学工作检查\t基教股\t基教股、教研室\n"
        "2\t9.9—9.13\t教研活动周\t教研室、教研室\t\n"
    )
    assert [i.departments for i in calendar.items] == [["基教股", "教研室"], ["教研室"]]
    glued = parse(
        "某县教育局2020—2021学年度第二学期教育工作行事历\n日期\t工作要点\t要求与说明\t主持者\n"
        "323.7\n    |\n    3.13\n"
        "△完成学生异动手续开学后一个月内完成基教股、教研室、基教股\n"
    )
    assert [i.departments for i in glued.items] == [["基教股", "教研室"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("高一教育质量检测及全市统一阅卷 详见通知教研室", ["教研室"]),
        ("完成2017年招聘教师档案专审工作全月档案中心", ["档案中心"]),
        ("结合养成教育和全县文明创建工作开展基教股(团工委)、各学校", ["基教股(团工委)", "各学校"]),
        ("组织项目工作坊集中研修青少年活动中心", ["青少年活动中心"]),  # a unit never listed anywhere
        ("召开教育工会年度工作会", []),
    ],
)
def test_trailing_units(text, expected):
    assert trailing_units(text, set(KNOWN_UNITS))[1] == expected
