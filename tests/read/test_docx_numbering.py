"""Word's automatic list numbering: labels Word shows are put in front of the text.

Every expected line below was worked out by hand from the numbering definitions built
in each test (start values, formats and label templates), following Word's counting:
a level counts up per paragraph and restarts after a shallower paragraph of its list.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from eduplan.read import read_bytes
from eduplan.read.numbering import format_number

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def saved(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def add_list(document, abstract_id: int, num_id: int, levels: list[str], overrides: str = "") -> None:
    """Append an abstractNum with ``levels`` and a num pointing at it to the numbering part."""
    root = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {W_NS} w:abstractNumId="{abstract_id}">{"".join(levels)}</w:abstractNum>'
    )
    num = parse_xml(
        f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
    )
    # The schema wants every abstractNum before the first num.
    first_num = root.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        root.append(abstract)
    root.append(num)


def numbered(document, text: str, num_id: int | None, ilvl: int | None = 0, style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    if num_id is not None:
        ppr = paragraph._p.get_or_add_pPr()
        ilvl_xml = "" if ilvl is None else f'<w:ilvl w:val="{ilvl}"/>'
        ppr.append(parse_xml(f'<w:numPr {W_NS}>{ilvl_xml}<w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


PLAN_LEVELS = [
    lvl(0, "chineseCounting", "%1、"),
    lvl(1, "chineseCounting", "（%2）"),
    lvl(2, "decimal", "%3."),
    lvl(3, "decimal", "（%4）"),
    lvl(4, "decimalEnclosedCircle", "%5"),
]


def plan_document():
    document = docx.Document()
    add_list(document, 10, 7, PLAN_LEVELS)
    document.add_paragraph("某某学校2024年工作计划")
    numbered(document, "加强党的建设", 7, 0)
    numbered(document, "强化思想引领", 7, 1)
    numbered(document, "落实责任", 7, 2)
    numbered(document, "细化分工", 7, 2)
    numbered(document, "每月一次", 7, 3)
    numbered(document, "专题学习", 7, 4)
    numbered(document, "集中研讨", 7, 4)
    numbered(document, "严明纪律", 7, 1)
    numbered(document, "签订责任书", 7, 2)
    numbered(document, "提高教学质量", 7, 0)
    numbered(document, "深化课堂改革", 7, 1)
    document.add_paragraph("附件：无")
    return document


def test_chinese_plan_levels_get_their_labels_and_deeper_levels_restart():
    lines = read_bytes(saved(plan_document()), "x.docx").lines
    assert lines == [
        "某某学校2024年工作计划",
        "一、加强党的建设",
        "（一）强化思想引领",
        "1.落实责任",
        "2.细化分工",
        "（1）每月一次",
        "①专题学习",
        "②集中研讨",
        "（二）严明纪律",
        "1.签订责任书",
        "二、提高教学质量",
        "（一）深化课堂改革",
        "附件：无",
    ]


def test_compound_template_uses_each_levels_own_format_and_start_override():
    document = docx.Document()
    add_list(
        document,
        1,
        1,
        [lvl(0, "chineseCounting", "第%1章"), lvl(1, "decimal", "%1.%2", extra='<w:suff w:val="space"/>')],
    )
    add_list(
        document,
        2,
        2,
        [lvl(0, "decimal", "%1)")],
        overrides='<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>',
    )
    numbered(document, "总则", 1, 0)
    numbered(document, "目的", 1, 1)
    numbered(document, "范围", 1, 1)
    numbered(document, "五", 2, 0)
    numbered(document, "六", 2, 0)
    numbered(document, "职责", 1, 0)
    numbered(document, "校长", 1, 1)
    lines = read_bytes(saved(document), "x.docx").lines
    # "%1.%2" ends in a digit, so Word's space suffix is kept; "第一章" ends in 章 (a letter
    # to Python), and its default tab suffix becomes a space too.
    assert lines == ["第一章 总则", "一.1 目的", "一.2 范围", "5)五", "6)六", "第二章 职责", "二.1 校长"]


def test_numbering_inherited_from_paragraph_style_counts():
    document = docx.Document()
    add_list(document, 3, 4, [lvl(0, "chineseCounting", "%1、"), lvl(1, "chineseCounting", "（%2）")])
    style = document.styles["Heading 1"]
    style.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_NS}><w:numId w:val="4"/></w:numPr>'))
    document.add_paragraph("指导思想", style="Heading 1")
    numbered(document, "总体要求", 4, 1)
    document.add_paragraph("主要任务", style="Heading 1")
    # numId 0 switches the style's numbering off for one paragraph.
    numbered(document, "不编号", 0, 0, style="Heading 1")
    document.add_paragraph("保障措施", style="Heading 1")
    lines = read_bytes(saved(document), "x.docx").lines
    assert lines == ["一、指导思想", "（一）总体要求", "二、主要任务", "不编号", "三、保障措施"]


def test_bullets_none_and_empty_numbered_paragraphs():
    document = docx.Document()
    add_list(document, 5, 5, [lvl(0, "bullet", "●"), lvl(1, "bullet", "\uf0b7"), lvl(2, "none", "")])
    add_list(document, 6, 6, [lvl(0, "decimal", "%1.")])
    numbered(document, "实心圆", 5, 0)
    numbered(document, "符号字体", 5, 1)
    numbered(document, "无编号", 5, 2)
    numbered(document, "第一项", 6, 0)
    numbered(document, "", 6, 0)  # counted by Word (shows "2."), but no text to read
    numbered(document, "第三项", 6, 0)
    lines = read_bytes(saved(document), "x.docx").lines
    assert lines == ["●实心圆", "符号字体", "无编号", "1.第一项", "3.第三项"]


def test_numbered_paragraphs_in_table_cells_count_in_document_order():
    document = docx.Document()
    add_list(document, 1, 1, [lvl(0, "decimal", "%1.")])
    numbered(document, "正文", 1, 0)
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    paragraph = cell.paragraphs[0]
    paragraph.add_run("表内")
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    )
    numbered(document, "表后", 1, 0)
    assert read_bytes(saved(document), "x.docx").lines == ["1.正文", "2.表内", "3.表后"]


def test_paragraph_without_numbering_is_unchanged():
    document = docx.Document()
    add_list(document, 1, 1, [lvl(0, "decimal", "%1.")])
    document.add_paragraph("一、手写编号")
    document.add_paragraph("普通段落")
    assert read_bytes(saved(document), "x.docx").lines == ["一、手写编号", "普通段落"]


def test_document_without_numbering_part_still_reads():
    document = docx.Document()
    numbered(document, "悬空编号", 3, 0)
    document.add_paragraph("普通段落")
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/numbering"):
            del part.rels[rel_id]
    data = saved(document)
    assert b"word/numbering.xml" not in data
    assert read_bytes(data, "x.docx").lines == ["悬空编号", "普通段落"]


@pytest.mark.parametrize(
    "levels",
    [
        [lvl(0, "decimal", "%1.", start=0).replace('w:val="0"', 'w:val="x"', 1)],  # bad start
        ['<w:lvl w:ilvl="zz"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'],
        ['<w:lvl w:ilvl="0"><w:start w:val="1"/></w:lvl>'],  # no lvlText
    ],
)
def test_malformed_numbering_gives_no_label_and_never_raises(levels):
    document = docx.Document()
    add_list(document, 1, 1, levels)
    numbered(document, "条目", 1, 0)
    numbered(document, "条目二", 1, "q")  # type: ignore[arg-type]
    numbered(document, "未定义", 99, 0)
    lines = read_bytes(saved(document), "x.docx").lines
    assert lines[1:] == ["条目二", "未定义"]
    assert lines[0] in ("条目", "0.条目", "1.条目")


def test_bad_start_value_falls_back_to_zero():
    document = docx.Document()
    add_list(
        document,
        1,
        1,
        ['<w:lvl w:ilvl="0"><w:start w:val="x"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'],
    )
    numbered(document, "条目", 1, 0)
    assert read_bytes(saved(document), "x.docx").lines == ["0.条目"]


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCounting", "二十"),
        (21, "chineseCountingThousand", "二十一"),
        (105, "chineseCounting", "一百〇五"),
        (110, "chineseCounting", "一百一十"),
        (12, "taiwaneseCounting", "十二"),
        (3, "ideographTraditional", "丙"),
        (11, "chineseLegalSimplified", "壹拾壹"),
        (1, "decimalEnclosedCircle", "①"),
        (20, "decimalEnclosedCircleChinese", "⑳"),
        (21, "decimalEnclosedCircle", "21"),
        (12, "decimalFullWidth", "１２"),
        (2, "lowerLetter", "b"),
        (28, "upperLetter", "BB"),
        (4, "lowerRoman", "iv"),
        (1994, "upperRoman", "MCMXCIV"),
        (7, "ordinalText", "7"),
        (3, "none", ""),
        (3, "bullet", ""),
    ],
)
def test_format_number(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_numbering_part_that_is_not_xml_still_reads_without_labels():
    document = docx.Document()
    add_list(document, 1, 1, [lvl(0, "decimal", "%1.")])
    numbered(document, "条目", 1, 0)
    document.add_paragraph("普通段落")
    source = zipfile.ZipFile(io.BytesIO(saved(document)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = b"<w:numbering><unclosed" if info.filename == "word/numbering.xml" else source.read(info)
            target.writestr(info, body)
    assert read_bytes(out.getvalue(), "x.docx").lines == ["条目", "普通段落"]
