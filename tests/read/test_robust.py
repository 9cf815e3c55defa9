"""Whatever the bytes, the reader returns a document or raises ReadError — no other exception."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduplan.errors import ReadError
from eduplan.read import TextDocument, read_bytes
from eduplan.read.html import html_lines

NAMES = st.sampled_from(["a.txt", "a.html", "a.docx", "a.xlsx", "a.pdf", "a"])


def read_or_error(data: bytes, name: str) -> None:
    try:
        document = read_bytes(data, name)
    except ReadError as error:
        assert str(error)
    else:
        assert isinstance(document, TextDocument)
        assert all("\n" not in line and "\r" not in line for line in document.lines)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(min_size=1, max_size=3000), name=NAMES)
def test_arbitrary_bytes(data, name):
    read_or_error(data, name)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(0, 1), value=st.integers(0, 255), which=st.sampled_from(["docx", "xlsx", "pdf"]))
def test_damaged_office_and_pdf_files(position, value, which, docx_bytes, xlsx_bytes, pdf_bytes):
    whole = bytearray({"docx": docx_bytes, "xlsx": xlsx_bytes, "pdf": pdf_bytes}[which])
    index = min(int(position * len(whole)), len(whole) - 1)
    whole[index] = value
    read_or_error(bytes(whole), f"x.{which}")


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=500))
def test_html_of_any_text(text):
    lines = html_lines("<html><body><p>" + text + "</p></body></html>")
    assert all(line == line.strip() and line for line in lines)


@pytest.mark.parametrize("member", ["word/document.xml", "xl/workbook.xml"])
def test_office_zip_with_garbage_parts(member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, b"\x00\x01garbage")
    with pytest.raises(ReadError, match="文件已损坏或不完整"):
        read_bytes(buffer.getvalue(), "x")
