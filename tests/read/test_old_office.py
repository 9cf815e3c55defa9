"""Old and WPS Office files: .doc/.wps converted by LibreOffice, OLE2 files told apart by streams.

The conversion tests need ``soffice`` (Debian's libreoffice-writer-nogui and
libreoffice-calc-nogui). Without it they are skipped, except under CI (``CI`` set), where
they fail: ``.ci/run`` installs it. The tests of the missing-LibreOffice message and of the
sniffing need no LibreOffice.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from eduplan.errors import ReadError
from eduplan.read import convert, read_bytes
from eduplan.read.detect import ole_kind

MISSING_DOC = (
    "读取 .doc 文件需要 LibreOffice（soffice），本机未安装；"
    "请安装 LibreOffice，或用 Word 另存为 .docx 后再导入。"
)


def soffice_convert(soffice: str, tmp_path: Path, data: bytes, source: str, target: str) -> bytes:
    """``data`` saved as ``source`` (e.g. x.docx) and converted to ``target`` (e.g. doc) here."""
    (tmp_path / source).write_bytes(data)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path),
            str(tmp_path / source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    return (tmp_path / (Path(source).stem + "." + target)).read_bytes()


@pytest.fixture(scope="module")
def doc_bytes(soffice, sample, tmp_path_factory) -> bytes:
    """The sample Word file saved by LibreOffice as Word 97 (.doc)."""
    return soffice_convert(soffice, tmp_path_factory.mktemp("doc"), sample.build_docx(), "x.docx", "doc")


def test_doc_is_converted_and_read_as_its_docx(doc_bytes, sample):
    assert doc_bytes.startswith(bytes.fromhex("d0cf11e0a1b11ae1"))
    assert ole_kind(doc_bytes, "x.doc") == ("word", "doc")
    document = read_bytes(doc_bytes, "旧计划.doc")
    assert document.source.format == "doc"
    assert document.lines == sample.EXPECTED_LINES


def test_word_content_named_wps_or_xls_is_read_as_word(doc_bytes, sample):
    assert read_bytes(doc_bytes, "计划.wps").source.format == "wps"
    misnamed = read_bytes(doc_bytes, "计划.xls")
    assert misnamed.source.format == "doc"
    assert misnamed.lines == sample.EXPECTED_LINES


def test_cell_paragraphs_survive_the_conversion(soffice, tmp_path):
    import io

    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "9月"
    table.cell(0, 1).text = "开学典礼"
    table.cell(0, 1).add_paragraph("教师节表彰")
    document.add_paragraph("备注")  # Word ends a body with a paragraph; LibreOffice needs one
    out = io.BytesIO()
    document.save(out)
    doc = soffice_convert(soffice, tmp_path, out.getvalue(), "cells.docx", "doc")
    assert read_bytes(doc, "cells.doc").lines == ["9月\t开学典礼", "\t教师节表彰", "备注"]


def test_xls_that_xlrd_cannot_read_goes_through_libreoffice(soffice, sample, monkeypatch):
    import eduplan.read.xls

    def broken(data, budget):
        raise ValueError("a record xlrd does not know")

    monkeypatch.setattr(eduplan.read.xls, "xls_lines", broken)
    document = read_bytes(sample.build_xls(), "行事历.xls")
    assert document.source.format == "xls"
    assert document.lines == read_bytes(sample.build_xlsx(), "行事历.xlsx").lines


def test_unconvertible_doc_is_refused_in_chinese(soffice, sample):
    # An OLE2 file with a WordDocument stream that holds no Word document.
    data = sample.ole_file({"WordDocument": b"not a word document"})
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "坏.doc")
    assert str(caught.value).startswith("无法转换 .doc 文件：坏.doc 可能已损坏或设置了密码")


def test_missing_soffice_is_told_in_chinese(sample, monkeypatch):
    monkeypatch.setattr(convert.shutil, "which", lambda _name: None)
    data = sample.ole_file({"WordDocument": b"\xec\xa5" + bytes(100)})
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "旧计划.doc")
    assert str(caught.value) == MISSING_DOC
    with pytest.raises(ReadError, match=r"^读取 \.wps 文件需要 LibreOffice（soffice），本机未安装"):
        read_bytes(data, "旧计划.wps")


def test_missing_soffice_with_an_empty_path(sample, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    data = sample.ole_file({"WordDocument": b"\xec\xa5" + bytes(100)})
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "旧计划.doc")
    assert str(caught.value) == MISSING_DOC


def test_xls_xlrd_cannot_read_without_soffice_is_refused_in_chinese(sample, monkeypatch):
    monkeypatch.setattr(convert.shutil, "which", lambda _name: None)
    data = sample.ole_file({"Workbook": b"\x09\x08 not BIFF"})
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "表.xls")
    assert str(caught.value) == (
        "无法读取 Excel 文件：表.xls 已损坏，或是读不了的旧格式；请用 Excel 另存为 .xlsx 后再导入。"
    )


@pytest.mark.parametrize(
    ("streams", "name", "expected"),
    [
        ({"WordDocument": b"w", "1Table": b"t"}, "a.bin", ("word", "doc")),
        ({"WordDocument": b"w"}, "a.wps", ("word", "wps")),
        ({"Workbook": b"b"}, "a.doc", ("sheet", "xls")),
        ({"Book": b"b"}, "a.et", ("sheet", "et")),
        ({"CONTENTS": b"c"}, "a.wps", ("word", "wps")),  # a Works document: by its extension
        ({"CONTENTS": b"c"}, "a.bin", ("unknown", "ole")),
        ({"EncryptionInfo": b"i", "EncryptedPackage": b"p"}, "a.docx", ("encrypted", "ole")),
        ({"PowerPoint Document": b"p"}, "a.ppt", ("powerpoint", "ppt")),
    ],
)
def test_ole_kind_by_streams_then_extension(sample, streams, name, expected):
    assert ole_kind(sample.ole_file(streams), name) == expected


@pytest.mark.parametrize(
    ("streams", "name", "message"),
    [
        ({"EncryptionInfo": b"i", "EncryptedPackage": b"p"}, "计划.docx", "^文件设置了打开密码：计划.docx；"),
        (
            {"PowerPoint Document": b"p"},
            "讲稿.ppt",
            "^无法识别文件格式：讲稿.ppt（看起来是PowerPoint 演示文稿）",
        ),
        ({"CONTENTS": b"c"}, "x.bin", "^这是无法识别的旧版 Office 文件：x.bin；"),
    ],
)
def test_other_ole_files_are_refused_in_chinese(sample, streams, name, message):
    with pytest.raises(ReadError, match=message):
        read_bytes(sample.ole_file(streams), name)


def test_broken_ole_directory_is_refused_without_converting(monkeypatch):
    def no_conversion(*_args):
        raise AssertionError("a broken file must not reach LibreOffice")

    monkeypatch.setattr(convert, "convert", no_conversion)
    data = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600)
    with pytest.raises(ReadError, match=r"^无法读取旧版 Office 文件：x.doc 已损坏或不完整。$"):
        read_bytes(data, "x.doc")


def test_a_hanging_conversion_is_killed_with_its_children(sample, monkeypatch, tmp_path):
    # A stand-in soffice that starts a helper (as soffice starts soffice.bin) and hangs.
    import time

    pid_file = tmp_path / "helper.pid"
    fake = tmp_path / "bin" / "soffice"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\nsleep 300 &\necho $! > "{pid_file}"\nwait\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    monkeypatch.setattr(convert, "TIMEOUT_SECONDS", 2)
    data = sample.ole_file({"WordDocument": b"\xec\xa5" + bytes(100)})
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"^转换 \.doc 文件超时（2 秒）；请用 Word 另存为 \.docx 后再导入。$"):
        read_bytes(data, "慢.doc")
    assert time.monotonic() - started < 30
    helper = int(pid_file.read_text())
    for _ in range(50):  # the killed helper is reaped by init shortly after
        state = Path(f"/proc/{helper}/stat")
        if not state.exists() or state.read_text().split()[2] == "Z":
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"helper process {helper} still running")
