"""Junk lines by pattern, spam headlines by shape, related-article lists as blocks."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.read import junk
from eduplan.read.junk import drop_related_blocks, junk_line, remove_junk, spam_headline


@pytest.mark.parametrize(
    "line",
    [
        "扫一扫在手机打开当前页",
        "掃一掃在手機打開當前頁",
        "【打印本页】",
        "打印本页 关闭窗口",
        "【关闭】",
        "上一篇：关于做好2021年春季开学工作的通知",
        "下一篇：没有了",
        "分享到：微信 微博 QQ空间",
        "版权所有：某某县教育局 地址：某某路1号",
        "Copyright © 2021 某某县人民政府",
        "湘ICP备12345678号-1",
        "湘公网安备 43042302000123号",
        "访问量：123456",
        "浏览次数：88",
        "当前位置：首页 > 政务公开 > 通知公告",
        "【字体：大 中 小】",
        "精品欧洲AV无码一区二区_人妻精品久久久久中文字幕一冢本_黑人又大又粗又硬XXXXX_欧美疯狂做受XXXXX高潮",
    ],
)
def test_junk(line):
    assert junk_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "来源: 柳城县教育局",
        "发布时间:2021-06-25 16:08 信息来源:新晃县教育局",
        "来源：某某县教育局 浏览次数：12",  # the counter rides on the issuer's line
        "一、指导思想",
        "周次|日期|工作要点|主持者",  # a pipe-separated table header is not spam
        "第1周|2.21-2.27|学校安全隐患排查|各学校",
        "柳城县教育局2019年教育工作计划_柳城县人民政府门户网站",  # two parts only
        "3.组织学生扫码参加安全教育平台专题学习活动",
        "认真做好打印、分发等准备工作，确保考试顺利进行，各学校要在上一学期基础上进一步完善制度。",
        "学校网站须标注版权所有信息并在显著位置公布举报电话，确保网站内容安全、规范运行，杜绝违规转载。"
        "学校网站须标注版权所有信息并在显著位置公布举报电话，确保网站内容安全、规范运行，杜绝违规转载。"
        "学校网站须标注版权所有信息并在显著位置公布举报电话。",
    ],
)
def test_not_junk(line):
    assert not junk_line(line)


def test_spam_headline_needs_four_long_parts():
    assert spam_headline("教育局年度工作计划大全_工作总结范文精选_述职报告模板下载_心得体会优秀范文")
    assert not spam_headline("教育局年度工作计划大全_工作总结范文精选_述职报告模板下载")
    assert not spam_headline("一_二_三_四_五")


def test_related_block_dropped_until_document_text_returns():
    lines = [
        "(3月底至4月初,市教育局將對各縣區教育局和兩個中心安排落實本計劃的情況進行專項檢查。)",
        "",
        "【教育局年度工作計劃】相關文章:",
        "",
        "教育局年度工作計劃九篇04-15",
        "教育局年度工作計劃3篇04-10",
        "",
        "縣教育局秋學期工作計劃06-25",
    ]
    assert drop_related_blocks(lines) == lines[:2]


def test_related_block_ends_at_a_long_line_or_a_numbered_heading():
    lines = [
        "相关阅读",
        "某某县召开教育工作会议",
        "二、主要工作措施",
        "某某县召开教育工作会议",
        "猜你喜欢",
        "某某县召开教育工作会议",
        "全面贯彻落实党的十九大和全国教育工作会议精神，紧紧围绕科教兴县的战略目标，坚持以人为本。",
    ]
    assert drop_related_blocks(lines) == [
        "二、主要工作措施",
        "某某县召开教育工作会议",
        "全面贯彻落实党的十九大和全国教育工作会议精神，紧紧围绕科教兴县的战略目标，坚持以人为本。",
    ]


def test_a_sentence_mentioning_related_documents_is_not_a_heading():
    line = "把与师德师风密切相关的文件及政策法规列入寒暑期培训内容，增强遵守师德规范的自觉性。"
    assert drop_related_blocks([line, "短标题"]) == [line, "短标题"]


def test_remove_junk_keeps_order():
    lines = ["某某县教育局工作计划", "打印本页", "一、指导思想", "版权所有 某某县教育局", "二、目标"]
    assert remove_junk(lines) == ["某某县教育局工作计划", "一、指导思想", "二、目标"]


# The one search over all patterns is tried away from the line's start only at a character a
# pattern can begin with (a lookahead): it must answer as the plain alternation does.
_PLAIN_ANY_JUNK = re.compile("|".join(f"(?:{pattern})" for pattern, _ in junk.JUNK_PATTERNS))
_JUNK_PIECES = [
    *"打印本页【】[]关闭窗口扫一掃描二维码分享微信©()Cc字大中小上一篇 \t:：版权所有ICP备x1",
    *["Copyright", "(c) 2020", "当前页", "在手机打开", "相关文章", "访问量", "技术支持", "试读结束"],
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_JUNK_PIECES), min_size=0, max_size=8).map("".join))
def test_junk_gate_answers_as_the_plain_alternation(text: str) -> None:
    assert bool(junk._ANY_JUNK.search(text)) == bool(_PLAIN_ANY_JUNK.search(text)), text


def test_junk_gate_is_in_use() -> None:
    # every pattern of the table tells its first characters, so the lookahead is built
    assert all(junk._first_chars(p) is not None for p, _ in junk.JUNK_PATTERNS)
    assert junk._ANY_JUNK.pattern.startswith("(?:^|(?=[")
    assert junk._first_chars(r"[Cc]opyright|©|\([Cc]\)") == frozenset("Cc©(")
    assert junk._first_chars(r"^\s*分享") == frozenset()  # only at the line's start
    assert junk._first_chars(r"a?") is None  # may match empty: no gate
    assert junk._first_chars(r".打印") is None
