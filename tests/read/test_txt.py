"""Plain text keeps its lines one to one with the file, so line numbers can be cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduplan.read import read_bytes, read_file
from eduplan.read.txt import text_lines

# The shared folder sits beside the repository (as tests/conftest.py finds it), in any checkout.
CORPUS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"
CORPUS = sorted(CORPUS_DIR.glob("*.txt"))
ABSENT = f"the shared corpus is absent: no *.txt in {CORPUS_DIR}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一\n二\n", ["一", "二"]),
        ("一\n二", ["一", "二"]),
        ("一\r\n\r\n二\r\n", ["一", "", "二"]),
        ("一\r二\r", ["一", "二"]),  # classic Mac line ends
        ("  缩进保留  \t\n尾部空白去掉\u3000\u3000\n", ["  缩进保留", "尾部空白去掉"]),
        ("\n\n一\n\n", ["", "", "一", ""]),
        ("a\x0cb\u2028c\n", ["a\x0cb\u2028c"]),  # only CR/LF break lines, as in the file
    ],
)
def test_text_lines(text, expected):
    assert text_lines(text) == expected


def test_blank_lines_are_kept_so_numbers_match():
    data = "标题\n\n\n一、指导思想\n".encode("gbk")
    document = read_bytes(data, "a.txt")
    assert document.lines == ["标题", "", "", "一、指导思想"]
    assert document.lines[3] == "一、指导思想"  # line 4 of the file


def test_junk_lines_are_not_dropped_from_text():
    data = "扫一扫在手机打开当前页\n一、指导思想\n".encode()
    assert read_bytes(data, "a.txt").lines == ["扫一扫在手机打开当前页", "一、指导思想"]


@pytest.mark.skipif(not CORPUS, reason=ABSENT)
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_corpus_line_count_and_first_line(path):
    raw = path.read_bytes()
    expected_count = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    first_line = raw.split(b"\n", 1)[0].decode("utf-8").rstrip()
    document = read_file(path)
    assert document.source.format == "txt"
    assert document.source.encoding == "utf-8"
    assert len(document.lines) == expected_count
    assert document.lines[0] == first_line


def test_corpus_first_lines_by_hand():
    if not CORPUS:
        pytest.skip(ABSENT)
    firsts = {p.name[:3]: read_file(p).lines[0] for p in CORPUS}
    assert firsts["002"] == "历史规划"
    assert firsts["004"] == "新晃侗族自治县教育局2021年下半年工作计划"
    assert firsts["000"] == "衡山縣教育局2020—2021學年度第二學期教育工作行事曆"


def test_corpus_lines_keep_their_numbers():
    by_prefix = {p.name[:3]: p for p in CORPUS}
    if "002" not in by_prefix or "004" not in by_prefix:
        pytest.skip(ABSENT)
    assert read_file(by_prefix["002"]).lines[2] == "来源: 柳城县教育局"  # line 3
    assert read_file(by_prefix["004"]).lines[57] == "扫一扫在手机打开当前页"  # line 58


def test_replacement_characters_written_in_the_file_are_text():
    # Scraped pages keep U+FFFD where the site cut a character; that is still a text file.
    text = "一、指导思想\ufffd\n" * 3 + "二、目标\ufffd\ufffd\n"
    document = read_bytes(text.encode("utf-8"), "a.txt")
    assert document.lines == ["一、指导思想\ufffd"] * 3 + ["二、目标\ufffd\ufffd"]
    assert document.warnings == []
