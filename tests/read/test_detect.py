"""Format comes from the content; a wrong or missing extension does not matter."""

from __future__ import annotations

import pytest

from eduplan.read import read_bytes
from eduplan.read.detect import looks_like_html, sniff_binary


@pytest.mark.parametrize(
    ("builder", "name", "expected"),
    [
        ("docx", "plan.pdf", "docx"),
        ("docx", "plan", "docx"),
        ("xlsx", "plan.docx", "xlsx"),
        ("xlsx", "plan.txt", "xlsx"),
        ("pdf", "plan.xlsx", "pdf"),
        ("pdf", "plan.html", "pdf"),
        ("html", "plan.txt", "html"),
        ("html", "plan.docx", "html"),
        ("text", "plan.html", "txt"),
        ("text", "plan.pdf", "txt"),
    ],
)
def test_wrong_extension(builder, name, expected, sample):
    data = {
        "docx": sample.build_docx,
        "xlsx": sample.build_xlsx,
        "pdf": sample.build_pdf,
        "html": lambda: sample.html_text().encode(),
        "text": lambda: sample.plain_text().encode("gb18030"),
    }[builder]()
    document = read_bytes(data, name)
    assert document.source.format == expected
    assert sample.cells(document.lines) == sample.cells(sample.EXPECTED_LINES)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", "pdf"),
        (b"\r\n\r\n%PDF-1.4\n", "pdf"),  # junk before the header
        (b"PK\x03\x04rest", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
        (b"<html><body>", None),
        ("教育局".encode(), None),
    ],
)
def test_sniff_binary(head, expected):
    assert sniff_binary(head) == expected


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("<!DOCTYPE html><html><body>计划</body></html>", "a.txt", True),
        ("\n\n  <html lang='zh'>", "a", True),
        ("<!-- saved from url -->\n<HTML>", "a", True),
        ("<?xml version='1.0'?><html>", "a", True),
        ("<div class='x'>一、指导思想</div>", "a.txt", True),
        ("<p>计划</p>", "a", True),
        ("<table><tr><td>1</td></tr></table>", "a", True),
        ("<body>", "a", True),
        ("一、指导思想\n全面贯彻<p>的精神", "a.txt", False),  # markup not at the start
        ("一、指导思想\n全面贯彻<p>的精神", "a.html", True),  # …but the extension hints
        ("a < b and c > d", "a.html", False),
        ("《教育法》<第三条>", "a.txt", False),
    ],
)
def test_looks_like_html(text, name, expected):
    assert looks_like_html(text, name) is expected
