"""HTML pages: visible blocks as lines, tables as grids, furniture and junk gone."""

from __future__ import annotations

import pytest

from eduplan.read import read_bytes
from eduplan.read.html import html_lines


def page(body: str) -> str:
    return f"<html><head><title>标题栏</title></head><body>{body}</body></html>"


def test_blocks_and_breaks_become_lines():
    html = page("<div>一、指导思想<br>全面贯彻<span>落实</span>党的教育方针</div><p>二、目标</p>text tail")
    assert html_lines(html) == ["一、指导思想", "全面贯彻落实党的教育方针", "二、目标", "text tail"]


def test_whitespace_and_entities_collapse():
    html = page("<p>&nbsp;&nbsp;　　第一周\n   开学&nbsp;准备  </p>")
    assert html_lines(html) == ["第一周 开学 准备"]


@pytest.mark.parametrize(
    "furniture",
    [
        "<nav>首页 新闻</nav>",
        "<header>某某县教育局门户网站</header>",
        "<footer>联系电话 0731-1234567</footer>",
        "<aside>热点专题</aside>",
        "<form><input value='搜索'>站内搜索</form>",
        "<div class='mainNav'>首页 新闻</div>",
        "<ul id='menu'><li>首页</li><li>新闻</li></ul>",
        "<div class='bread-crumb'>首页 &gt; 通知</div>",
        "<div class='bdshare_t'>微信 微博</div>",
        "<div class='copyright'>某某县教育局 主办</div>",
        "<div id='comments'>网友评论 0 条</div>",
        "<div class='related-list'><a>其他学校通知</a></div>",
        "<div class='recommend'>图片新闻</div>",
        "<div style='display:none'>隐藏的关键词堆砌</div>",
        "<script>document.write('脚本')</script>",
        "<iframe src='x'>框架</iframe>",
        "<noscript>请启用脚本</noscript>",
    ],
)
def test_furniture_is_removed(furniture):
    html = page(furniture + "<div class='content'><p>一、指导思想</p><p>全面贯彻落实党的教育方针。</p></div>")
    assert html_lines(html) == ["一、指导思想", "全面贯彻落实党的教育方针。"]


def test_furniture_words_match_whole_words_only():
    html = page("<div class='canvas-content'><p>正文</p></div><div class='snavigator'>保留</div>")
    assert html_lines(html) == ["正文", "保留"]


def test_wrapper_with_furniture_class_is_kept_when_it_holds_the_page():
    body = "".join(f"<p>第{i}条 工作要求和具体安排。</p>" for i in range(1, 6))
    html = page(f"<form id='form1'><div class='nav-content'>{body}</div></form><div class='nav'>首页</div>")
    assert html_lines(html) == [f"第{i}条 工作要求和具体安排。" for i in range(1, 6)]


def test_header_inside_article_keeps_the_title():
    html = page("<header>网站名</header><article><header><h1>某某县行事历</h1></header><p>正文</p></article>")
    assert html_lines(html) == ["某某县行事历", "正文"]


def test_table_grid_with_rowspan_and_colspan_in_the_middle():
    html = page(
        "<table>"
        "<tr><td>A</td><td>B</td><td>C</td><td>D</td></tr>"
        "<tr><td rowspan='3'>1</td><td colspan='2'>中间合并</td><td>d2</td></tr>"
        "<tr><td>b3</td><td rowspan='2'>c3</td><td>d3</td></tr>"
        "<tr><td>b4</td><td>d4</td></tr>"
        "</table>"
    )
    assert html_lines(html) == [
        "A\tB\tC\tD",
        "1\t中间合并\t\td2",
        "\tb3\tc3\td3",
        "\tb4\t\td4",
    ]


def test_table_rows_are_padded_and_empty_rows_skipped():
    html = page(
        "<table><tbody>"
        "<tr><th>周次</th><th>日期</th><th>内容</th></tr>"
        "<tr><td>1</td><td>3.1</td></tr>"
        "<tr><td> </td><td></td><td>&nbsp;</td></tr>"
        "<tr><td>2</td><td>3.8</td><td>期中<br>考试</td></tr>"
        "</tbody></table>"
    )
    assert html_lines(html) == ["周次\t日期\t内容", "1\t3.1\t", "2\t3.8\t期中 考试"]


def test_rowspan_beyond_the_table_and_zero_do_not_leak():
    html = page(
        "<table><tr><td rowspan='99'>甲</td><td>1</td></tr><tr><td>2</td></tr></table>"
        "<table><tr><td>乙</td><td>3</td></tr></table>"
    )
    assert html_lines(html) == ["甲\t1", "\t2", "乙\t3"]


def test_layout_table_is_read_as_blocks():
    article = "".join(
        f"<p>第{i}段：全面落实立德树人根本任务，推进教育改革。" + "内容" * 60 + "</p>" for i in range(8)
    )
    html = page(f"<table><tr><td><table><tr><td>{article}</td></tr></table></td></tr></table>")
    lines = html_lines(html)
    assert len(lines) == 8
    assert lines[0].startswith("第0段：全面落实")
    assert "\t" not in "".join(lines)


def test_junk_lines_and_related_list_removed():
    html = page(
        "<h1>某某县教育局2021年工作计划</h1>"
        "<p>来源：某某县教育局 发布时间：2021-03-01 浏览次数：52</p>"
        "<p>一、指导思想</p>"
        "<p>【打印本页】 【关闭窗口】</p>"
        "<p>上一篇：关于开学的通知</p>"
        "<h3>相关文章</h3><ul><li>2020年工作计划</li><li>2019年工作总结</li></ul>"
    )
    assert html_lines(html) == [
        "某某县教育局2021年工作计划",
        "来源：某某县教育局 发布时间：2021-03-01 浏览次数：52",
        "一、指导思想",
    ]


def test_spam_headline_removed_from_page():
    spam = "精品欧洲AV无码一区二区_人妻精品久久久久中文字幕一冢本_黑人又大又粗又硬XXXXX_欧美疯狂做受XXXXX高潮"
    html = page(f"<h1>{spam}</h1><p>教育局年度工作計劃</p>")
    assert html_lines(html) == ["教育局年度工作計劃"]


def test_pre_keeps_its_lines():
    assert html_lines(page("<pre>第一周  开学\n第二周  教研\n</pre>")) == ["第一周 开学", "第二周 教研"]


def test_xml_declaration_and_control_characters_are_tolerated():
    html = "<?xml version='1.0' encoding='gb2312'?>\n<html><body><p>计划\x01正文</p></body></html>"
    assert html_lines(html) == ["计划正文"]


def test_broken_markup_is_tolerated():
    assert html_lines("<div><p>一、指导思想<p>二、目标</div></span><td>孤立单元格") == [
        "一、指导思想",
        "二、目标",
        "孤立单元格",
    ]


def test_big5_page_with_meta():
    html = '<html><head><meta charset="big5"></head><body><p>某某縣教育局工作計劃</p></body></html>'
    document = read_bytes(html.encode("big5"), "page.htm")
    assert (document.source.format, document.source.encoding) == ("html", "big5")
    assert document.lines == ["某某縣教育局工作計劃"]


def test_page_of_nothing_but_furniture_is_an_error():
    from eduplan.errors import ReadError

    with pytest.raises(ReadError, match=r"^文件里没有可读的文字：x\.html$"):
        read_bytes(page("<script>var a;</script><p>打印本页</p>").encode(), "x.html")


def test_list_items_in_a_cell_give_one_line_each():
    html = page(
        "<table><tr><th>月份</th><th>工作内容</th><th>责任科室</th></tr>"
        "<tr><td>3月</td><td><ol><li>开学工作检查</li><li>教师培训</li><li>春季运动会</li></ol></td>"
        "<td>基教股</td></tr>"
        "<tr><td>4月</td><td>期中考试</td><td>教研室</td></tr></table>"
    )
    assert html_lines(html) == [
        "月份\t工作内容\t责任科室",
        "3月\t1.开学工作检查\t基教股",  # the numbers the browser shows before each <li>
        "\t2.教师培训\t",
        "\t3.春季运动会\t",
        "4月\t期中考试\t教研室",
    ]


def test_paragraphs_of_two_cells_pair_up_by_position():
    # <br> lines in one cell, <p> paragraphs in another: the k-th of each share a line.
    html = page(
        "<table><tr><td>第1周</td><td>3月1日：报到注册<br>3月2日：开始上课</td>"
        "<td><p>教务处</p><p>各学院</p><p>学生处</p></td></tr>"
        "<tr><td>第2周</td><td>教研活动</td><td>教研室</td></tr></table>"
    )
    assert html_lines(html) == [
        "第1周\t3月1日：报到注册\t教务处",
        "\t3月2日：开始上课\t各学院",
        "\t\t学生处",
        "第2周\t教研活动\t教研室",
    ]


def test_sub_lines_come_before_the_rows_a_rowspan_covers():
    html = page(
        "<table><tr><td rowspan='2'>2月</td><td>1</td>"
        "<td rowspan='2'>2月21日：报到<br>2月23日：上课</td></tr>"
        "<tr><td>2</td></tr></table>"
    )
    assert html_lines(html) == ["2月\t1\t2月21日：报到", "\t\t2月23日：上课", "\t2\t"]


def test_divs_in_a_cell_and_stacked_characters_stay_one_paragraph():
    html = page(
        "<table><tr><td><div>1</div><div class='dayText'>春节</div></td><td>备<br>注</td>"
        "<td><div>长时间活动一<br>长时间活动二</div></td></tr>"
        "<tr><td>2</td><td>无</td><td>无</td></tr></table>"
    )
    assert html_lines(html) == ["1 春节\t备 注\t长时间活动一", "\t\t长时间活动二", "2\t无\t无"]


@pytest.mark.parametrize(
    ("cell", "paragraphs"),
    [
        ("<ol><li>布置考场</li><li>整理档案</li></ol>", ["1.布置考场", "2.整理档案"]),
        (
            "<ol start='4'><li>布置考场</li><li value='7'>整理档案</li><li>检查食堂</li></ol>",
            ["4.布置考场", "7.整理档案", "8.检查食堂"],
        ),
        ("<ul><li>布置考场</li><li>整理档案</li></ul>", ["•布置考场", "•整理档案"]),
        (
            "<ol><li>1、布置考场</li><li>2、整理档案</li></ol>",
            ["1、布置考场", "2、整理档案"],
        ),  # numbered by hand
        (
            "<ol type='a'><li>布置考场</li><li>整理档案</li></ol>",
            ["布置考场", "整理档案"],
        ),  # a. b.: not decimal
        ("<ul style='list-style: none'><li>布置考场</li><li>整理档案</li></ul>", ["布置考场", "整理档案"]),
    ],
)
def test_list_items_in_a_cell_start_with_the_label_a_browser_shows(cell, paragraphs):
    html = page(f"<table><tr><td>周次</td><td>内容</td></tr><tr><td>第1周</td><td>{cell}</td></tr></table>")
    assert html_lines(html) == ["周次\t内容", f"第1周\t{paragraphs[0]}", *[f"\t{p}" for p in paragraphs[1:]]]


def test_list_items_outside_a_table_keep_their_text_as_written():
    assert html_lines(page("<ol><li>布置考场</li><li>整理档案</li></ol>")) == ["布置考场", "整理档案"]
