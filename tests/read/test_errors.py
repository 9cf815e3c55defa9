"""Bad input raises ReadError / LimitError with one line of Chinese, never a traceback."""

from __future__ import annotations

import io
import os
import random
import re
import zipfile

import pytest

from eduplan.errors import LimitError, ReadError
from eduplan.read import read_bytes, read_file
from eduplan.settings import Limits

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_plain_chinese(error: Exception) -> str:
    message = str(error)
    assert _CHINESE.search(message), message
    assert "Traceback" not in message
    assert "\n" not in message
    assert "Error" not in message  # no exception class names leak into the message
    return message


@pytest.mark.parametrize("data", [b"", b"   \r\n\t\n", "\ufeff  \n".encode(), "  \n".encode("utf-16")])
def test_empty_file(data):
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "空.txt")
    assert assert_plain_chinese(caught.value) == "文件是空的：空.txt"


def test_empty_file_on_disk(tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match=r"文件是空的：empty\.docx"):
        read_file(path)


def test_random_bytes_named_docx():
    data = random.Random(7).randbytes(20_000)
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "计划.docx")
    message = assert_plain_chinese(caught.value)
    assert "无法识别文件格式" in message
    assert ".txt .html .docx .xlsx .pdf" in message


def test_truncated_docx(sample):
    whole = sample.build_docx()
    with pytest.raises(ReadError) as caught:
        read_bytes(whole[: len(whole) // 2], "计划.docx")
    assert assert_plain_chinese(caught.value) == "无法读取 Word 文件：文件已损坏或不完整。"


def test_truncated_docx_is_recognised_without_its_extension(sample):
    whole = sample.build_docx()
    with pytest.raises(ReadError, match=r"^无法读取 Word 文件：文件已损坏或不完整。$"):
        read_bytes(whole[: len(whole) // 2], "download.bin")


def test_truncated_xlsx(sample):
    whole = sample.build_xlsx()
    with pytest.raises(ReadError) as caught:
        read_bytes(whole[: len(whole) // 2], "表.xlsx")
    assert assert_plain_chinese(caught.value) == "无法读取 Excel 文件：文件已损坏或不完整。"


def test_docx_with_broken_xml_inside():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document>not xml")
    with pytest.raises(ReadError) as caught:
        read_bytes(buffer.getvalue(), "坏.docx")
    assert assert_plain_chinese(caught.value) == "无法读取 Word 文件：文件已损坏或不完整。"


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory, sample):
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    sample.write_zip_bomb(path, member_mb=300)
    return path


def test_zip_bomb_is_small_on_disk(zip_bomb):
    assert os.path.getsize(zip_bomb) < 2 * 1024 * 1024


def test_zip_bomb_refused_by_compression_ratio(zip_bomb):
    with pytest.raises(LimitError) as caught:
        read_file(zip_bomb)
    message = assert_plain_chinese(caught.value)
    assert "压缩比异常" in message
    assert "EDUPLAN_MAX_COMPRESSION_RATIO" in message


def test_zip_bomb_refused_by_unpacked_size(zip_bomb):
    limits = Limits(max_compression_ratio=10**9)
    with pytest.raises(LimitError) as caught:
        read_file(zip_bomb, limits)
    message = assert_plain_chinese(caught.value)
    assert "解压后太大" in message
    assert "EDUPLAN_MAX_UNPACKED_BYTES" in message


def test_file_over_size_limit_is_refused_before_reading(tmp_path, sample):
    path = tmp_path / "big.docx"
    path.write_bytes(sample.build_docx())
    with pytest.raises(LimitError) as caught:
        read_file(path, Limits(max_file_bytes=1024))
    message = assert_plain_chinese(caught.value)
    assert message.startswith("文件太大（")
    assert "超过上限 1 KB；可用环境变量 EDUPLAN_MAX_FILE_BYTES 调整。" in message


def test_size_limit_message_in_megabytes():
    data = b"a" * (3 * 1024 * 1024 + 400 * 1024)
    with pytest.raises(LimitError) as caught:
        read_bytes(data, "x.txt", Limits(max_file_bytes=2 * 1024 * 1024))
    assert (
        str(caught.value) == "文件太大（3.4 MB），超过上限 2 MB；可用环境变量 EDUPLAN_MAX_FILE_BYTES 调整。"
    )


def test_limits_from_environment(monkeypatch):
    monkeypatch.setenv("EDUPLAN_MAX_FILE_BYTES", "10")
    with pytest.raises(LimitError):
        read_bytes(b"0123456789abc", "x.txt")
    monkeypatch.delenv("EDUPLAN_MAX_FILE_BYTES")
    assert read_bytes(b"0123456789abc", "x.txt").lines == ["0123456789abc"]


@pytest.mark.parametrize("which", ["txt", "docx", "xlsx", "html"])
def test_text_over_char_limit(which, sample):
    data = {
        "txt": sample.plain_text().encode(),
        "docx": sample.build_docx(),
        "xlsx": sample.build_xlsx(),
        "html": sample.html_text().encode(),
    }[which]
    with pytest.raises(LimitError) as caught:
        read_bytes(data, "x", Limits(max_text_chars=40))
    assert "EDUPLAN_MAX_TEXT_CHARS" in assert_plain_chinese(caught.value)


def test_pdf_without_text_layer(sample):
    with pytest.raises(ReadError) as caught:
        read_bytes(sample.build_pdf(with_text=False), "扫描件.pdf")
    assert assert_plain_chinese(caught.value) == (
        "PDF 没有可提取的文字（可能是扫描件），请先做文字识别（OCR）或提供 Word / 文本版本。"
    )


def test_truncated_pdf(sample):
    whole = sample.build_pdf()
    with pytest.raises(ReadError) as caught:
        read_bytes(whole[: len(whole) // 3], "x.pdf")
    assert_plain_chinese(caught.value)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "旧版 Office 文件"),
        (b"\x89PNG\r\n\x1a\n" + bytes(600), "PNG 图片"),
        (b"{\\rtf1\\ansi hello}", "RTF 文档"),
    ],
)
def test_unsupported_binaries_are_named(data, expected):
    with pytest.raises(ReadError) as caught:
        read_bytes(data, "x.docx")
    assert expected in assert_plain_chinese(caught.value)


def test_zip_that_is_not_office():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("计划/a.txt", "hello")
    with pytest.raises(ReadError, match=r"压缩包"):
        read_bytes(buffer.getvalue(), "x.zip")


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ReadError, match=r"^找不到文件："):
        read_file(tmp_path / "none.docx")
    with pytest.raises(ReadError, match=r"^这是一个文件夹"):
        read_file(tmp_path)


def test_office_file_without_text(tmp_path):
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(ReadError, match=r"^文件里没有可读的文字：空白\.docx$"):
        read_bytes(buffer.getvalue(), "空白.docx")
