"""Files built to hurt the reader: zip bombs, archives of 10,000 parts, XML entity tricks, deep
nesting, PDFs past the page or time budget, plan JSON nested too deep, content whose extension
lies. Each is refused with a Chinese message or read without doing what it was built to make
the reader do."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.documents import plan_from_bytes
from eduplan.errors import LimitError, ReadError
from eduplan.read import read_bytes
from eduplan.settings import Limits
from eduplan.understand import understand

ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
    b'<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>'
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


def rewrite(data: bytes, member: str, edit) -> bytes:
    """The archive with one member's bytes passed through ``edit``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        assert member in zin.namelist()
        for info in zin.infolist():
            content = zin.read(info)
            zout.writestr(info.filename, edit(content) if info.filename == member else content)
    return out.getvalue()


def with_members(data: bytes, extra: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", compression) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        for name, content in extra.items():
            zout.writestr(name, content)
    return out.getvalue()


def declare(prolog: bytes, reference: bytes, marker: bytes):
    """An edit putting ``prolog`` before the root and ``reference`` right after ``marker``."""

    def edit(content: bytes) -> bytes:
        body = content.split(b"?>", 1)[-1]
        assert marker in body
        return prolog + body.replace(marker, marker + reference, 1)

    return edit


# ------------------------------------------------------------------ zip bombs and member counts


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_member_inflating_past_the_ratio_is_refused(kind, sample):
    data = sample.build_docx() if kind == "docx" else sample.build_xlsx()
    bomb = with_members(data, {"customXml/item9.xml": b"<a>" + b"\0" * (8 * 1024 * 1024) + b"</a>"})
    assert len(bomb) < 100_000  # 8 MB of zeros packs to a few KB: a ratio near 1000
    with pytest.raises(LimitError) as caught:
        read_bytes(bomb, f"bomb.{kind}")
    assert "压缩比异常" in str(caught.value) and "customXml/item9.xml" in str(caught.value)


def test_unpacked_total_over_the_limit_is_refused(sample):
    # Random-looking (incompressible) members pass the ratio check; their total does not.
    noise = bytes((i * 7919) % 251 for i in range(600_000))
    data = with_members(sample.build_docx(), {f"media/{i}.bin": noise for i in range(4)})
    limits = Limits(max_unpacked_bytes=2 * 1024 * 1024)
    with pytest.raises(LimitError) as caught:
        read_bytes(data, "big.docx", limits)
    assert "解压后太大" in str(caught.value) and "2 MB" in str(caught.value)
    assert read_bytes(data, "big.docx").lines == sample.EXPECTED_LINES  # the default limit lets it in


def test_declared_300_mb_member_is_refused_without_unpacking(tmp_path, sample):
    path = tmp_path / "bomb.docx"
    sample.write_zip_bomb(path, member_mb=300)
    with pytest.raises(LimitError) as caught:
        read_bytes(path.read_bytes(), "bomb.docx")
    assert "压缩" in str(caught.value) or "解压后太大" in str(caught.value)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_ten_thousand_members_are_refused(kind, sample):
    data = sample.build_docx() if kind == "docx" else sample.build_xlsx()
    crowded = with_members(data, {f"customXml/{i}.xml": b"" for i in range(10_001)}, zipfile.ZIP_STORED)
    with pytest.raises(LimitError) as caught:
        read_bytes(crowded, f"crowded.{kind}")
    assert "数量异常" in str(caught.value)
    assert str(10_001 + len(zipfile.ZipFile(io.BytesIO(data)).namelist())) in str(caught.value)


def test_nested_bomb_inside_a_docx_is_never_unpacked(sample):
    """An embedded zip whose member would inflate 1000-fold: the reader does not open embedded
    files, so the outer document (its own ratio near 1) reads as usual."""
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * (4 * 1024 * 1024))
    data = with_members(sample.build_docx(), {"word/embeddings/oleObject1.zip": inner.getvalue()})
    assert read_bytes(data, "nested.docx").lines == sample.EXPECTED_LINES


# ------------------------------------------------------------------ XML entities


def test_entity_expansion_bomb_in_word_is_refused(sample):
    data = rewrite(sample.build_docx(), "word/document.xml", declare(ENTITY_BOMB, b"&g;", b"<w:t>"))
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "laughs.docx")
    assert chinese(str(caught.value))


def test_entity_expansion_bomb_in_excel_is_not_expanded(sample):
    # openpyxl writes inline strings: the cells' text sits in <t> inside the sheet itself.
    data = rewrite(sample.build_xlsx(), "xl/worksheets/sheet1.xml", declare(ENTITY_BOMB, b"&g;", b"<t>"))
    try:
        document = read_bytes(data, "laughs.xlsx")
    except ReadError as error:
        assert chinese(str(error))
    else:
        assert "aaaaaaaaaa" not in document.text
        assert sum(map(len, document.lines)) < 10_000


@pytest.mark.parametrize(
    "kind,member,marker",
    [("docx", "word/document.xml", b"<w:t>"), ("xlsx", "xl/worksheets/sheet1.xml", b"<t>")],
)
def test_external_entities_are_not_fetched(kind, member, marker, sample):
    data = sample.build_docx() if kind == "docx" else sample.build_xlsx()
    data = rewrite(data, member, declare(EXTERNAL, b"&x;", marker))
    try:
        document = read_bytes(data, f"xxe.{kind}")
    except ReadError as error:
        assert chinese(str(error))
    else:
        assert "root:" not in document.text
        assert "/bin/" not in document.text


def test_html_with_entity_declarations_and_deep_nesting():
    html = (
        '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body>'
        + "<div>" * 50_000
        + "<p>3月1日 开学工作会议 &x;</p>"
        + "</div>" * 50_000
        + "</body></html>"
    )
    try:
        document = read_bytes(html.encode(), "deep.html")
    except ReadError as error:
        assert chinese(str(error))
    else:
        assert "root:" not in document.text


# ------------------------------------------------------------------ PDF page and time budget


def _pages_pdf(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=A4)
    for number in range(1, pages + 1):
        drawing.drawString(72, 720, f"page {number} text")
        drawing.showPage()
    drawing.save()
    return out.getvalue()


def test_pdf_pages_past_the_limit_are_not_read():
    document = read_bytes(_pages_pdf(5), "long.pdf", Limits(max_pdf_pages=2))
    assert document.lines == ["page 1 text", "page 2 text"]
    assert any("共 5 页，只读取了前 2 页" in w for w in document.warnings)


def test_pdf_past_its_time_budget_is_refused(monkeypatch):
    import eduplan.read.pdf as pdf

    monkeypatch.setattr(pdf, "READ_SECONDS", -1.0)  # the budget is spent before the first page
    with pytest.raises(LimitError) as caught:
        read_bytes(_pages_pdf(2), "slow.pdf")
    assert "排版太复杂" in str(caught.value) and "第 1 页" in str(caught.value)


# ------------------------------------------------------------------ plan JSON


def test_plan_json_nested_too_deep_is_refused():
    data = b'{"schema": "eduplan.plan/1", "items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(ReadError) as caught:
        plan_from_bytes(data, "deep.json")
    assert "嵌套层数太多" in str(caught.value)


def test_plan_json_over_the_size_limit_is_refused():
    plan = {"schema": "eduplan.plan/1", "title": "很长" * 2000, "items": [], "targets": []}
    data = json.dumps(plan, ensure_ascii=False).encode()
    with pytest.raises(LimitError) as caught:
        plan_from_bytes(data, "big.json", limits=Limits(max_file_bytes=4096))
    assert "文件太大" in str(caught.value)
    assert plan_from_bytes(data, "big.json").title == "很长" * 2000


# ------------------------------------------------------------------ the extension is only a hint


def test_docx_that_is_really_html_is_read_as_html():
    html = "<html><body><p>2021年3月1日 召开开学工作会议</p></body></html>".encode()
    document = read_bytes(html, "plan.docx")
    assert document.source.format == "html"
    assert document.lines == ["2021年3月1日 召开开学工作会议"]


def test_docx_that_is_really_text_is_read_as_text():
    document = read_bytes("一、3月1日 开学工作会议\n二、3月8日 教研活动\n".encode("gb18030"), "plan.docx")
    assert document.source.format == "txt"
    assert document.lines == ["一、3月1日 开学工作会议", "二、3月8日 教研活动"]


@pytest.mark.parametrize(
    "data,seen",
    [(b"MZ\x90\x00\x03" + b"\0" * 200, "程序文件"), (b"\x7fELF\x02\x01" + b"\0" * 200, "程序文件")],
)
def test_docx_that_is_a_program_is_refused(data, seen):
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "plan.docx")
    assert seen in str(caught.value) and "无法识别文件格式" in str(caught.value)


def test_xlsx_that_is_really_a_pdf_is_read_as_pdf(sample):
    document = read_bytes(sample.build_pdf(), "plan.xlsx")
    assert document.source.format == "pdf"
    assert document.lines[0] == sample.EXPECTED_LINES[0]


# ------------------------------------------------------------------ a line with thousands of numbers


def test_target_text_is_cut_around_its_number():
    """A punctuation-free line of 5,000 goals: each target keeps the text near its number, not a
    copy of the 35,000-character line (which made a plan of 5,000 × 35,000 characters)."""
    line = "达到95%" * 5000
    plan = understand(read_bytes(line.encode(), "many.txt"))
    assert len(plan.targets) > 100
    assert max(len(t.text) for t in plan.targets) <= 2 * 300 + 3
    assert all(t.value == 95 and t.unit == "%" for t in plan.targets)


# ------------------------------------------------------------------ what the fuzzer found


def test_control_characters_are_dropped_from_every_line():
    body = "一、9月2日\x00 开学\x07检查\x1b[31m（基教股）\n二、9月\x0b9日\x0c 教研\t活动\n"
    data = (body + "三、按照全县教育工作会议的部署认真落实各项任务。\n" * 10).encode()
    document = read_bytes(data, "ctl.txt")
    assert document.lines[:2] == ["一、9月2日 开学检查[31m（基教股）", "二、9月9日 教研\t活动"]


def _inline_cuts_reference(text: str) -> list[int]:
    """The heading-cut rule as first written (quadratic: it rescanned the rest for every 一)."""
    from eduplan.understand.lines import _INLINE, _cn_value

    found = [
        (m.start(), "cn" if m.group("cn") else "par", _cn_value(m.group("cn") or m.group("par")))
        for m in _INLINE.finditer(text)
    ]
    cuts: list[int] = []
    expect = {"cn": 1, "par": 1}
    for i, (pos, style, value) in enumerate(found):
        if value != expect[style]:
            continue
        if value == 1 and not any(s == style and v == 2 for _, s, v in found[i + 1 :]):
            if style == "cn" or not cuts:
                continue
        if pos > 0:
            cuts.append(pos)
        expect[style] = value + 1
        if style == "cn":
            expect["par"] = 1
    return cuts


_CN = "一二三四"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["cn", "par"]), st.integers(1, 4)), min_size=1, max_size=30))
def test_inline_heading_cuts_match_the_rule_they_replaced(markers):
    """A line of thousands of 1、 made the heading split quadratic (the fuzzer's 30 s timeouts);
    the linear rewrite cuts exactly where the original did."""
    from eduplan.understand.lines import _inline_cuts

    parts = ["开展工作" * 40]  # long enough (≥ 150) to be split inline
    for style, value in markers:
        parts.append(f"{_CN[value - 1]}、" if style == "cn" else f"（{_CN[value - 1]}）")
        parts.append("落实各项任务")
    text = "".join(parts)
    assert _inline_cuts(text) == _inline_cuts_reference(text)


def test_a_line_of_thousands_of_headings_is_split_where_they_start():
    from eduplan.understand.lines import _inline_cuts

    head = "开展工作" * 40
    text = head + "。一、落实任务。二、检查工作。" + "(一)" * 20_000
    assert _inline_cuts(text)[:2] == [len(head) + 1, len(head) + 8]


def test_bidi_overrides_are_dropped_from_html_entities_too():
    html = "<html><body><p>安全演练&#x202E;gnp.exe &#x2066;隔离&#x2069;</p></body></html>"
    assert read_bytes(html.encode(), "bidi.html").lines == ["安全演练gnp.exe 隔离"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t_|｜ab一2.-月")), max_size=60))
def test_spam_headline_split_keeps_its_meaning(line):
    """The headline split lost its ``\\s*`` (quadratic on a long run of spaces, 17 s for one
    fuzzed line); splitting at the separator and stripping gives the parts the old pattern did."""
    import re

    from eduplan.read import junk

    old = re.split(r"\s*[_|｜]\s*", line.strip())
    assert [p.strip() for p in junk._HEADLINE_SPLIT.split(line.strip())] == old
