"""The half-year summary draft as Word (eduplan/reports/summary_docx.py), read back with python-docx.

The summary is built by hand here (the content is tested in tests/reports/test_summary.py): two
office sections, a targets section and the closing section.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from eduplan.reports.summary import (
    GROUP_DONE,
    GROUP_OPEN,
    GROUP_TARGETS,
    NEXT_SECTION,
    TARGETS_SECTION,
    Counts,
    Entry,
    Group,
    Half,
    Section,
    Summary,
    TargetEntry,
)
from eduplan.reports.summary_docx import render_summary_docx

COMPLETION = "全县32所学校全部完成开学检查，发现隐患12处，已整改11处。"


def _summary() -> Summary:
    done = Entry(1, "开学工作检查", "2月26日至3月1日", ["基教股", "各学校"], date(2024, 3, 1), 1)
    done.state, done.substance_label, done.substance = "已于3月1日办结", "完成情况", COMPLETION
    late = Entry(2, "教师资格认定", "4月10日至20日", ["人事股"], date(2024, 4, 20), 2)
    late.state, late.days_late = "进行中，截至6月30日逾期71天", 71
    rate = TargetEntry(1, "学前三年毛入园率", "≥88.4%", "90.2%", date(2024, 6, 20), True)
    missing = TargetEntry(2, "新建幼儿园", "4所", None, None, None)
    sections = [
        Section(1, "基教股", [Group(1, GROUP_DONE, [done])]),
        Section(2, "人事股", [Group(1, GROUP_OPEN, [late])]),
        Section(3, TARGETS_SECTION, [Group(1, GROUP_TARGETS, targets=[rate, missing])]),
        Section(4, NEXT_SECTION, paragraphs=["（请补充。）"]),
    ]
    return Summary(
        title="测试县教育局2024年上半年工作总结（初稿）",
        plan_id=1,
        plan_title="测试县教育局2024年工作计划",
        bureau="测试县教育局",
        half=Half(2024, 1),
        cutoff=date(2024, 6, 30),
        generated=date(2024, 7, 2),
        by="offices",
        counts=Counts(items=2, done=1, unfinished=1, late=1, targets=2, targets_reported=1, targets_met=1),
        sections=sections,
    )


@pytest.fixture(scope="module")
def document():
    return Document(io.BytesIO(render_summary_docx(_summary())))


def _texts(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_title_and_draft_note(document):
    title = _texts(document, "Title")
    assert len(title) == 1
    assert title[0].replace("\n", "") == "测试县教育局2024年上半年工作总结（初稿）"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "根据工作台账于2024年7月2日自动生成" in text
    assert "仅为初稿" in text


def test_headings_in_numbering_order(document):
    assert _texts(document, "Heading 1") == [
        "一、基教股",
        "二、人事股",
        "三、主要目标完成情况",
        "四、存在的问题和下一步工作打算",
    ]
    assert _texts(document, "Heading 2") == [
        "（一）已完成的工作",
        "（一）尚未完成或逾期的工作",
        "（一）目标完成情况",
    ]


def test_items_and_targets_under_their_headings(document):
    """Each numbered line follows its heading, in order."""
    paragraphs = [p.text for p in document.paragraphs]
    done_at = paragraphs.index("（一）已完成的工作")
    assert paragraphs[done_at + 1] == (
        f"1.开学工作检查（2月26日至3月1日，基教股、各学校）。已于3月1日办结。完成情况：{COMPLETION}"
    )
    open_at = paragraphs.index("（一）尚未完成或逾期的工作")
    assert paragraphs[open_at + 1] == "1.教师资格认定（4月10日至20日，人事股）。进行中，截至6月30日逾期71天。"
    targets_at = paragraphs.index("（一）目标完成情况")
    assert paragraphs[targets_at + 1] == (
        "1.学前三年毛入园率：目标≥88.4%，实际90.2%（截至2024年6月20日），已达成。"
    )
    assert paragraphs[targets_at + 2] == "2.新建幼儿园：目标4所，实际完成情况未填报。"
    overview = next(p for p in paragraphs if p.startswith("根据工作台账"))
    assert "办结率50.0%" in overview


def test_a4_portrait_with_official_margins(document):
    section = document.sections[0]
    assert abs(section.page_width - Cm(21.0)) < Cm(0.01)
    assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert abs(section.left_margin - Cm(2.8)) < Cm(0.01)


def _east_asian(element) -> str | None:
    fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_east_asian_fonts_are_named(document):
    styles = document.styles
    assert _east_asian(styles["Normal"].element) == "仿宋"
    assert _east_asian(styles["Heading 1"].element) == "黑体"
    assert _east_asian(styles["Heading 2"].element) == "楷体"
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert {_east_asian(r._element) for r in title.runs} == {"方正小标宋简体"}
    assert styles["Heading 1"].font.bold is False


def test_page_number_field_in_the_footer(document):
    footer = document.sections[0].footer.paragraphs[0]
    fields = footer._p.findall(qn("w:fldSimple"))
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]
