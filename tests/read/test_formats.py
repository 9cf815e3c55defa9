"""The same small 行事历 in every format reads to the same lines and cells."""

from __future__ import annotations

import hashlib

import pytest

from eduplan.read import CELL_SEPARATOR, read_bytes, read_file


def test_cell_separator_is_tab():
    assert CELL_SEPARATOR == "\t"


def test_docx_lines_keep_merged_cells_apart(docx_bytes, sample):
    document = read_bytes(docx_bytes, "行事历.docx")
    assert document.lines == sample.EXPECTED_LINES
    assert document.source.format == "docx"
    assert document.source.encoding is None
    assert document.source.sha256 == hashlib.sha256(docx_bytes).hexdigest()


def test_xlsx_lines_trim_trailing_empty_cells(xlsx_bytes, sample):
    document = read_bytes(xlsx_bytes, "行事历.xlsx")
    assert document.source.format == "xlsx"
    # The horizontally merged 工作要点 cell ends its row, so Excel's trailing empty cell goes.
    assert document.lines[4] == "2\t3.7—3.13\t全县教研活动"
    assert sample.cells(document.lines) == sample.cells(sample.EXPECTED_LINES)


def test_xlsx_with_two_sheets_names_each_sheet_first(sample):
    document = read_bytes(sample.build_xlsx(extra_sheet=True), "行事历.xlsx")
    assert document.lines[0] == "行事历"
    assert document.lines[1:7] == [
        "某某县教育局2021年春季学期工作行事历",
        "周次\t日期\t工作要点\t主持者",
        "1\t2.21—2.27\t新学期开学准备\t基教股",
        "\t2.28\t全体教师培训\t师训股",
        "2\t3.7—3.13\t全县教研活动",
        "備註：各學校應於每週五前報送工作總結。",
    ]
    assert document.lines[7:] == ["说明", "填表人\t张三"]


def test_pdf_tables_and_text_in_page_order(pdf_bytes, sample):
    document = read_bytes(pdf_bytes, "行事历.pdf")
    assert document.source.format == "pdf"
    assert document.lines == sample.EXPECTED_LINES
    assert document.warnings == []


def test_html_table_rowspan_colspan_and_junk_removed(sample):
    document = read_bytes(sample.html_text().encode("utf-8"), "行事历.html")
    assert document.source.format == "html"
    assert document.source.encoding == "utf-8"
    assert document.lines == sample.EXPECTED_LINES


@pytest.mark.parametrize(
    ("charset", "codec", "reported"),
    [("gb2312", "gb18030", "gb18030"), ("GBK", "gbk", "gb18030"), ("utf-8", "utf-8", "utf-8")],
)
def test_html_honours_meta_charset(charset, codec, reported, sample):
    document = read_bytes(sample.html_text(charset).encode(codec), "page.htm")
    assert document.source.encoding == reported
    assert document.lines == sample.EXPECTED_LINES


def test_html_with_wrong_meta_charset_is_still_decoded(sample):
    # Declares UTF-8 but is GBK, as some county sites do.
    document = read_bytes(sample.html_text("utf-8").encode("gbk"), "page.html")
    assert document.source.encoding == "gb18030"
    assert document.lines == sample.EXPECTED_LINES


@pytest.mark.parametrize(
    ("codec", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gb18030", "gb18030"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16-le"),  # Python writes a little-endian BOM
        ("utf-16-le", "utf-16-le"),  # no BOM
        ("utf-16-be", "utf-16-be"),  # no BOM
    ],
)
def test_text_in_every_encoding(codec, reported, sample):
    document = read_bytes(sample.plain_text().encode(codec), "行事历.txt")
    assert document.source.format == "txt"
    assert document.source.encoding == reported
    assert sample.cells(document.lines) == sample.cells(sample.EXPECTED_LINES)


@pytest.mark.parametrize(
    ("codec", "reported"), [("big5", "big5"), ("gb18030", "gb18030"), ("utf-16-be", "utf-16-be")]
)
def test_traditional_text_in_big5_is_not_read_as_gb18030(codec, reported, sample):
    text = "\n".join(sample.TRADITIONAL_LINES) + "\n"
    document = read_bytes(text.encode(codec), "行事曆.txt")
    assert document.source.encoding == reported
    assert sample.cells(document.lines) == sample.cells(sample.TRADITIONAL_LINES)


def test_read_file_names_the_source_by_file_name(tmp_path, docx_bytes, sample):
    path = tmp_path / "春季行事历.docx"
    path.write_bytes(docx_bytes)
    document = read_file(path)
    assert document.source.name == "春季行事历.docx"
    assert document.lines == sample.EXPECTED_LINES
    assert read_file(str(path)).lines == sample.EXPECTED_LINES
