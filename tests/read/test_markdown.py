"""Markdown: text lines one to one with the file, HTML blocks read as HTML (tables as cells)."""

from __future__ import annotations

from eduplan.read import read_bytes


def read_md(text: str, name: str = "校历.md") -> list[str]:
    document = read_bytes(text.encode("utf-8"), name)
    assert document.source.format == "md"
    return document.lines


def test_plain_markdown_keeps_its_lines_and_drops_the_marks():
    text = (
        "# 某某中学2022年春季学期行事历\n"
        "\n"
        "## 一、工作要点 ##\n"
        "> **2月21日**：学生报到\n"
        "- 2月23日：开始上课，详见[通知](https://example.org/a)\n"
        "---\n"
        "| 周次 | 内容 |\n"
        "|---|---|\n"
        "| 1 | 开学典礼 |\n"
        "#3 不是标题\n"
    )
    assert read_md(text) == [
        "某某中学2022年春季学期行事历",
        "",
        "一、工作要点",
        "2月21日：学生报到",
        "- 2月23日：开始上课，详见通知",
        "",
        "| 周次 | 内容 |",
        "|---|---|",
        "| 1 | 开学典礼 |",
        "#3 不是标题",
    ]


def test_html_table_gives_cell_lines_with_rowspans_empty_and_br_sub_lines():
    text = (
        "# 校历\n"
        "\n"
        "说明文字\n"
        "\n"
        "<table>\n"
        "<tr><th>月份</th><th>周次</th><th>活动</th></tr>\n"
        "<tr><td rowspan='2'>2月</td><td>第1周</td>"
        "<td rowspan='2'>2月21日：学生报到<br>2月23日：开始上课</td></tr>\n"
        "\n"  # a blank line inside the table does not end it
        "<tr><td>第2周</td></tr>\n"
        "</table>\n"
        "<style>\n"
        "td { color: red }\n"
        "</style>\n"
        "\n"
        "来源：教务处\n"
    )
    assert read_md(text) == [
        "校历",
        "",
        "说明文字",
        "",
        "月份\t周次\t活动",
        "2月\t第1周\t2月21日：学生报到",
        "\t\t2月23日：开始上课",
        "\t第2周\t",
        "",
        "来源：教务处",
    ]


def test_inline_html_in_a_text_line_is_read_as_text():
    text = "3月1日：<b>开学</b>典礼<br/>3月2日：教研&nbsp;活动 &copy 2022\n成绩<60分的补考\n"
    assert read_md(text) == ["3月1日：开学典礼", "3月2日：教研\xa0活动 &copy 2022", "成绩<60分的补考"]


def test_html_inside_a_code_fence_stays_text():
    text = "```\n<table><tr><td>甲</td></tr></table>\n```\n"
    assert read_md(text) == ["```", "<table><tr><td>甲</td></tr></table>", "```"]


def test_a_whole_html_page_named_md_is_read_as_html():
    page = "<!DOCTYPE html><html><body><table><tr><td>甲</td><td>乙</td></tr></table></body></html>"
    document = read_bytes(page.encode("utf-8"), "page.md")
    assert document.source.format == "html"
    assert document.lines == ["甲\t乙"]


def test_markdown_in_gb18030_is_decoded():
    text = "# 工作计划\n\n一、指导思想\n"
    document = read_bytes(text.encode("gb18030"), "计划.markdown")
    assert document.source.format == "md"
    assert document.lines == ["工作计划", "", "一、指导思想"]
