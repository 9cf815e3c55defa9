"""Case tables for document facts: title lines, issuers, kinds and periods.

Each case is written in this file's own words (invented schools and bureaus of the same
forms as real ones); the corpus-shaped cases at the end copy the structure of published
pages (a counter above the title, a page-numbered title, a letter-spaced school name).
"""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.text import fold_lines
from eduplan.understand.facts import RowShape, find_issuer, find_kind, read_facts, read_title, row_shape
from eduplan.understand.lines import logical_lines
from eduplan.understand.period import document_period, first_year, month_rows, text_period, title_period

D = date.fromisoformat


def _lines(text: str):
    raw = text.strip("\n").split("\n")
    return logical_lines(raw, fold_lines(raw))


def _title(text: str) -> str | None:
    found = read_title(_lines(text))
    return found.orig if found else None


# --------------------------------------------------------------------------- titles

TITLES: list[tuple[str, str | None]] = [
    # the plain case
    ("青山区教育局2024年工作要点\n一、总体要求", "青山区教育局2024年工作要点"),
    # a view counter and a short heading above the full title
    ("阅读次数: 3021\n学期行事历\n2022学年度第一学期小学部行事历\n月份", "2022学年度第一学期小学部行事历"),
    # a page label before the title
    ("某某教育网\n标题: 初中部下学期安全工作计划\n一、指导思想", "初中部下学期安全工作计划"),
    # a page number glued to the title, printed on several lines
    ("区教育局2022年工作总结_第1页\n区教育局2022年工作总结_第2页", "区教育局2022年工作总结"),
    # the covering notice gives the plan's own title
    (
        "白河县教育局关于印发《白河县教育局2022年工作要点》的通知\n各学校:\n现将…印发给你们。",
        "白河县教育局2022年工作要点",
    ),
    # an article number of a compilation page, and pinyin glosses after characters
    ("【第2篇 2022年教育局關(guān)于學(xué)校安全的工作總結(jié)", "2022年教育局關于學校安全的工作總結"),
    # a file name is a weaker title than the heading
    ("石门中学2023年校历.doc\n石门中学2023年秋季学期校历", "石门中学2023年秋季学期校历"),
    # the approval note after the calendar word is not part of the title
    ("东岭国小 113学年度第二学期行事曆 2025年1月20日校務會議通過", "东岭国小 113学年度第二学期行事曆"),
    ("七月份行事曆 1130620\n親愛的家長:", "七月份行事曆"),
    # a letter-spaced school name on the line above the title belongs to it
    ("彩 虹 幼 兒 園\n五月份行事曆 1120425\n親愛的家長您好:", "彩 虹 幼 兒 園五月份行事曆"),
    # a short title alone, and a Markdown heading continued by its term
    ("校曆表\n公眾假期\n學校假期", "校曆表"),
    ("# 校历\n\n## 2023-2024 第一学期\n\n说明文字", "校历 2023-2024 第一学期"),
    # breadcrumbs, menus, sentences, table rows and site names are not titles
    ("首页 > 工作计划 > 教学计划\n正文", None),
    ("工作计划 工作总结 述职报告 心得体会\n正文", None),
    ("现将2021—2022学年度校历和行事安排印发给你们,请认真执行。", None),
    ("星期 | 工 作 安 排 | 记 载 | |", None),
    ("依据教育部函, 本学年度学校日程如下:", None),
    ("小学数学教研组工作计划_范文资料网\n一、", "小学数学教研组工作计划"),
    ("青山县教育局工作计划_工作计划_某某范文网\n一、", "青山县教育局工作计划"),
    ("青山县教育局2023年工作总结 - 某某文库\n一、", "青山县教育局2023年工作总结"),
]


@pytest.mark.parametrize(("text", "expected"), TITLES)
def test_title(text: str, expected: str | None) -> None:
    assert _title(text) == expected


# --------------------------------------------------------------------------- issuers

ISSUERS: list[tuple[str, str | None]] = [
    ("青山区教育局2024年工作要点", "青山区教育局"),
    ("2024年青山区教育局工作要点", "青山区教育局"),
    ("2023年度青山镇中心小学工作要点", "青山镇中心小学"),
    ("2023年秋季学期青山小学工作计划", "青山小学"),
    ("县教育局工作计划", "县教育局"),
    ("东湖市第三中学校2021~2022学年度第二学期校历", "东湖市第三中学校"),
    ("东湖市第三中学2022年工作计划", "东湖市第三中学"),
    ("西山实验幼儿园三年发展规划", "西山实验幼儿园"),
    ("南江师范学院2020-2021学年校历", "南江师范学院"),
    ("國立北海大學 113 學年度行事曆", "國立北海大學"),
    ("政教处工作计划和安排", "政教处"),
    ("2023年教育局關于落實教育工作的第一季度工作總結", "教育局"),
    # kinds of school, not one school
    ("小学上学期安全工作行事历", None),
    ("2023学年度第二学期幼儿园行事历", None),
    ("中小学安全工作计划", None),
    ("全县中小学德育工作要点", None),
    ("各学校2021年工作安排", None),
    ("2023年县教育工作要点", None),
    ("德育主题教育活动安排表", None),
    ("南溪市小学、幼儿园 2015-2016 学年度校历", None),
    ("南溪市2015-2016小学校历表", None),
    ("臺北市立大安國民小學114學年度第1學期行事曆", "臺北市立大安國民小學"),
    ("南溪师范大学附属中学2023学年校历", "南溪师范大学附属中学"),
    # several plans on one page have several issuers
    ("教育局年度工作计划汇编5篇", None),
]


@pytest.mark.parametrize(("title", "expected"), ISSUERS)
def test_issuer_from_title(title: str, expected: str | None) -> None:
    folded = fold_lines([title])[0]
    assert find_issuer(title, folded, []) == expected


def test_bare_bureau_takes_the_place_named_in_the_text() -> None:
    lines = _lines("教育局工作计划\n时间:2022-01-18\n2009年,江口市教育局将认真贯彻落实…")
    assert find_issuer("教育局工作计划", "教育局工作计划", lines) == "江口市教育局"


def test_bare_bureau_stays_bare_without_a_place() -> None:
    lines = _lines("教育局工作计划\n我局主要抓了以下几项工作。大力教育局")
    assert find_issuer("教育局工作计划", "教育局工作计划", lines) == "教育局"


def test_wrapping_notice_names_the_issuer() -> None:
    facts = read_facts(_lines("白河县教育局关于印发《2022年教育工作要点》的通知\n各学校:"))
    assert facts.title_orig == "2022年教育工作要点"
    assert facts.issuer == "白河县教育局"


def test_source_line_names_the_bureau() -> None:
    lines = _lines("2019年教育工作计划\n来源: 柳河县教育局\n一、")
    assert find_issuer("2019年教育工作计划", "2019年教育工作计划", lines) == "柳河县教育局"


# --------------------------------------------------------------------------- kinds

KINDS: list[tuple[str | None, int, int, RowShape, str]] = [
    ("2021年秋季学期教育工作行事历", 0, 0, RowShape(), "calendar"),
    ("石门中学校历", 0, 0, RowShape(weeks=20), "calendar"),
    ("教学日历", 0, 0, RowShape(), "calendar"),
    # a 行事历 whose rows are months is a month-by-month plan
    ("小学上学期安全工作行事历", 0, 0, RowShape(months=5), "plan"),
    ("区教育局上半年工作总结和下半年工作计划", 0, 0, RowShape(), "summary"),
    ("2021年工作计划", 0, 0, RowShape(months=12), "plan"),
    ("教育局年度工作计划汇编7篇", 0, 0, RowShape(), "compilation"),
    ("教育局年度工作计划", 0, 3, RowShape(), "compilation"),
    ("德育活动安排表", 16, 0, RowShape(), "calendar"),
    # a plan whose measures are dated stays a plan
    ("2021年教研工作计划", 0, 0, RowShape(days=8, weekday_dates=3), "plan"),
    # no title: the rows decide
    (None, 0, 0, RowShape(weekday_dates=4), "calendar"),
    (None, 0, 0, RowShape(weeks=1, week_heading=True), "calendar"),
    (None, 0, 0, RowShape(days=5), "calendar"),
    (None, 0, 0, RowShape(), "plan"),
]


@pytest.mark.parametrize(("title", "weeks", "headers", "shape", "expected"), KINDS)
def test_kind(title: str | None, weeks: int, headers: int, shape: RowShape, expected: str) -> None:
    folded = fold_lines([title])[0] if title else None
    assert find_kind(folded, weeks, headers, shape) == expected


def test_kind_from_a_calendar_word_in_the_first_lines() -> None:
    lines = _lines("各区教育局:\n现将2014—2015学年度教学行政历印发给你们。")
    assert find_kind(None, 0, 0, RowShape(), lines) == "calendar"


def test_two_calendars_of_two_school_years_are_a_compilation() -> None:
    lines = _lines("北江大学2017-2018学年度校历\n月份\t周次\n北江大学2018-2019学年度校历(讨论稿)\n月份\t周次")
    assert find_kind(lines[0].text, 0, 0, RowShape(), lines) == "compilation"


def test_two_terms_of_one_school_year_are_one_calendar() -> None:
    lines = _lines("北江学院2016-2017学年第一学期校历\n月份\n北江学院2016-2017学年第二学期校历\n月份")
    assert find_kind(lines[0].text, 0, 0, RowShape(), lines) == "calendar"


def test_row_shape_counts_rows() -> None:
    text = (
        "第十三周(5月8日--- 5月12日)\n星期一 开会\n5月9日 星期二 教研\n"
        "1月20日(星期二)休業式,1月21日(星期三)上課,2月23日(星期一)開學"
    )
    shape = row_shape(_lines(text))
    assert shape.week_heading and shape.weeks == 1
    assert shape.days == 3
    assert shape.weekday_dates == 4


# --------------------------------------------------------------------------- periods

PERIODS: list[tuple[str, int | None, tuple[str, str] | None]] = [
    ("白河县教育局2022年工作要点", None, ("2022-01-01", "2022-12-31")),
    ("2022年上半年工作总结", None, ("2022-01-01", "2022-06-30")),
    ("上半年工作总结和下半年工作计划", 2020, ("2020-01-01", "2020-06-30")),
    ("2023年第三季度工作总结", None, ("2023-07-01", "2023-09-30")),
    ("2023年1-6月工作总结", None, ("2023-01-01", "2023-06-30")),
    ("2023年9月至2024年1月工作安排", None, ("2023-09-01", "2024-01-31")),
    ("2018年六月份工作安排", None, ("2018-06-01", "2018-06-30")),
    # school years and terms, mainland (September) and ROC (August)
    ("2019—2020学年度第一学期校历", None, ("2019-09-01", "2020-01-31")),
    ("2019~2020学年度第二学期校历", None, ("2020-02-01", "2020-07-31")),
    ("2022学年度第二学期幼儿园行事历", None, ("2023-02-01", "2023-07-31")),
    ("2024-2025年第二学期活动安排表", None, ("2025-02-01", "2025-07-31")),
    ("2024 2025 学年校历", None, ("2024-09-01", "2025-08-31")),
    ("2016─2017学年度校历", None, ("2016-09-01", "2017-08-31")),
    ("2022/23年度校曆表", None, ("2022-09-01", "2023-08-31")),
    ("校历 2020-2021 第二学期", None, ("2021-02-01", "2021-07-31")),
    ("113學年度行事曆", None, ("2024-08-01", "2025-07-31")),
    ("113 學年度第一學期行事曆", None, ("2024-08-01", "2025-01-31")),
    ("113学年度第2学期", None, ("2025-02-01", "2025-07-31")),
    ("2021年春季学期工作计划", None, ("2021-02-01", "2021-07-31")),
    ("2021年秋季学期工作计划", None, ("2021-09-01", "2022-01-31")),
    ("2018年夏秋季学期校历", None, ("2018-07-01", "2019-01-31")),
    ("2018—2020年教育发展计划", None, ("2018-01-01", "2020-12-31")),
    ("二〇二三年上半年工作总结", None, ("2023-01-01", "2023-06-30")),
    ("一二年级工作计划", None, None),
    # a ROC date after the title gives the year of its month
    ("五月份行事曆 1120425", None, ("2023-05-01", "2023-05-31")),
    # a term without a year takes the hint
    ("二年级上学期工作计划", 2020, ("2020-09-01", "2021-01-31")),
    ("二年级上学期工作计划", None, None),
    ("教育局年度工作计划", None, None),
    ("", 2023, None),
]


@pytest.mark.parametrize(("title", "hint", "span"), PERIODS)
def test_title_period(title: str, hint: int | None, span: tuple[str, str] | None) -> None:
    folded = fold_lines([title])[0]
    expected = (D(span[0]), D(span[1])) if span else None
    assert title_period(folded, hint) == expected


def test_plan_length_starts_at_the_first_month_the_text_names() -> None:
    assert title_period("西山幼儿园五年发展规划", None, (2012, 9)) == (D("2012-09-01"), D("2017-08-31"))
    assert title_period("2021年三年行动计划", None, None) == (D("2021-01-01"), D("2023-12-31"))


def test_bare_term_takes_the_year_of_the_text() -> None:
    # the first term whose January is 2011 began in September 2010
    assert title_period("小学上学期安全工作行事历", None, (2011, 1)) == (D("2010-09-01"), D("2011-01-31"))


FIRST_YEARS: list[tuple[str, tuple[int, int | None] | None]] = [
    ("2009年,市教育局将认真贯彻", (2009, None)),
    ("近期目标:2010年9月2011年8月", (2010, 9)),
    ("本學期休業式訂於 115 年 1 月 20 日", (2026, 1)),
    ("一一年一月", (2011, 1)),
    ("六月份行事曆 1070528", (2018, None)),
    ("2022 Oct", (2022, None)),
    ("第三周的安排", None),
]


@pytest.mark.parametrize(("text", "expected"), FIRST_YEARS)
def test_first_year(text: str, expected: tuple[int, int | None] | None) -> None:
    assert first_year(fold_lines([text])) == expected


TEXT_PERIODS: list[tuple[list[str], tuple[str, str] | None]] = [
    (["现将2014—2015学年度的学年编制计划印发给你们。"], ("2014-09-01", "2015-08-31")),
    (["114 学年度第 2 学期开学日为 115 年 2 月 23 日"], ("2026-02-01", "2026-07-31")),
    # an explicit span inside the term narrows it
    (["2017——2018 学年 第 一 学期", "上课日期:自 17年9月 至 17年11月 (8周)"], ("2017-09-01", "2017-11-30")),
    (["2019年是关键之年"], None),
]


@pytest.mark.parametrize(("texts", "span"), TEXT_PERIODS)
def test_text_period(texts: list[str], span: tuple[str, str] | None) -> None:
    expected = (D(span[0]), D(span[1])) if span else None
    assert text_period(texts) == expected


def test_month_rows_fill_years_across_new_year() -> None:
    rows = month_rows(["九月", "安全工作", "十月", "十一月", "十二月", "一一年一月", "1.开学检查;"])
    assert rows == [(2010, 9), (2010, 10), (2010, 11), (2010, 12), (2011, 1)]
    assert month_rows(["二月主题:新起点", "1、开学", "三月主题:习惯", "七月主题:毕业"], 2021) == [
        (2021, 2),
        (2021, 3),
        (2021, 7),
    ]
    assert month_rows(["3月5日召开会议", "三月份召开全县大会"]) == []


def test_document_period_order() -> None:
    # the title wins over the text
    p = document_period("2019年工作计划", ["2018年是…"], [], None)
    assert (p.start, p.end, p.source) == (D("2019-01-01"), D("2019-12-31"), "title")
    # a month-by-month plan without a dated title spans its month rows
    p = document_period("德育处工作计划", [], ["二月主题:", "三月主题:", "四月主题:", "五月主题:"], 2021)
    assert (p.start, p.end, p.source) == (D("2021-02-01"), D("2021-05-31"), "rows")
    # else the whole year given
    p = document_period("德育处工作计划", [], [], 2021)
    assert (p.start, p.end, p.source, p.default_year) == (D("2021-01-01"), D("2021-12-31"), "year", 2021)
    p = document_period(None, [], [], None)
    assert (p.start, p.end, p.source) == (None, None, "none")


# --------------------------------------------------------------------------- whole documents


def test_facts_of_a_scraped_plan() -> None:
    text = "\n".join(
        [
            "教育局工作计划",
            "时间:2022-01-18 11:45:00",
            "导语:教育局工作计划一文来源于网友上传,欢迎参考。",
            "2009年,江口市教育局将认真贯彻落实党的精神,深入学习实践科学发展观。",
            "一、总体目标",
        ]
    )
    facts = read_facts(_lines(text))
    assert facts.title_orig == "教育局工作计划"
    assert facts.issuer == "江口市教育局"
    assert (facts.period.start, facts.period.end) == (D("2009-01-01"), D("2009-12-31"))
    assert facts.warnings  # a whole year guessed from the text is said so


def test_facts_of_a_traditional_kindergarten_letter() -> None:
    text = "\n".join(
        [
            "彩 虹 幼 兒 園",
            "五月份行事曆 1120425",
            "親愛的爹地媽咪您好:",
            "5月02日 星期二 【5月份慶生會】",
            "5月05日 星期五 記得清洗棉被。",
            "5月12日 星期五 母親節活動。",
        ]
    )
    lines = _lines(text)
    facts = read_facts(lines)
    assert facts.title_orig == "彩 虹 幼 兒 園五月份行事曆"
    assert facts.issuer == "彩 虹 幼 兒 園"
    assert (facts.period.start, facts.period.end) == (D("2023-05-01"), D("2023-05-31"))
    assert find_kind(facts.title_text, 0, 0, facts.shape, lines) == "calendar"


def test_facts_of_a_notice_without_title() -> None:
    text = "\n".join(
        [
            "一、本學期休業式時間",
            "本學期休業式訂於 115 年 1 月 20 日(星期二),當日中午放學。",
            "(一) 115 年 1 月 21 日(星期三)至 1 月 23 日(星期五),為 114 學年度第 2 學期補行上課日,",
            "(三) 115 年 1 月 24 日(星期六)起開始為寒假。",
        ]
    )
    lines = _lines(text)
    facts = read_facts(lines)
    assert facts.title is None and facts.issuer is None
    assert facts.period.default_year == 2026
    assert find_kind(None, 0, 0, facts.shape, lines) == "calendar"
