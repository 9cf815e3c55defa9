"""Encodings are detected from the bytes, and GB18030's willingness to decode anything
does not win over Big5."""

from __future__ import annotations

import codecs

import pytest

from eduplan.read.encoding import declared_charset, decode, normalise_codec, plausibility

SIMPLIFIED = "某某县教育局2021年工作计划\n一、指导思想\n全面贯彻落实党的教育方针，办好人民满意的教育。\n"
TRADITIONAL = "某某縣教育局2021年工作計劃\n一、指導思想\n全面貫徹落實黨的教育方針，辦好人民滿意的教育。\n"


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (SIMPLIFIED, "gb2312", "gb18030"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (SIMPLIFIED, "utf-16-le", "utf-16-le"),
        (SIMPLIFIED, "utf-16-be", "utf-16-be"),
        (TRADITIONAL, "big5", "big5"),
        (TRADITIONAL, "gbk", "gb18030"),
        (TRADITIONAL, "utf-8", "utf-8"),
        (TRADITIONAL, "utf-16-le", "utf-16-le"),
    ],
)
def test_detects_encoding(text, codec, expected):
    decoded = decode(text.encode(codec))
    assert decoded.encoding == expected
    assert decoded.text == text
    assert decoded.warnings == []


@pytest.mark.parametrize(
    ("prefix", "codec", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_byte_order_mark_is_removed(prefix, codec, expected):
    decoded = decode(prefix + SIMPLIFIED.encode(codec))
    assert decoded.encoding == expected
    assert decoded.text == SIMPLIFIED


def test_utf16_without_any_ascii_has_no_nul_byte_and_is_still_found():
    text = "全面贯彻落实党的教育方针办好人民满意的教育"
    data = text.encode("utf-16-le")
    assert b"\0" not in data
    assert decode(data).text == text


def test_big5_read_as_gb18030_scores_lower():
    data = TRADITIONAL.encode("big5")
    as_gb = data.decode("gb18030", errors="replace")  # "succeeds" as garbage
    assert plausibility(TRADITIONAL) > 0.5
    assert plausibility(as_gb) < 0.2


def test_plain_ascii_is_utf8():
    decoded = decode(b"Plan 2021\n")
    assert (decoded.encoding, decoded.text) == ("utf-8", "Plan 2021\n")


def test_utf8_with_a_broken_byte_keeps_utf8_and_warns():
    data = SIMPLIFIED.encode("utf-8") * 20 + b"\xff" + "结束".encode()
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.endswith("\ufffd结束")
    assert len(decoded.warnings) == 1
    assert "1 处字节" in decoded.warnings[0]


def test_gbk_after_a_long_ascii_head_is_still_gbk():
    head = b"<html><head><script>" + b"var a = 1;\n" * 8000 + b"</script></head><body>"
    decoded = decode(head + SIMPLIFIED.encode("gbk"))
    assert decoded.encoding == "gb18030"
    assert decoded.text.endswith(SIMPLIFIED)


def test_declared_charset_is_used_when_it_decodes():
    data = b'<meta http-equiv="Content-Type" content="text/html; charset=big5">' + TRADITIONAL.encode("big5")
    assert declared_charset(data) == "big5"
    assert decode(data, declared_charset(data)).encoding == "big5"


@pytest.mark.parametrize(
    ("label", "expected"),
    [("GB2312", "gb18030"), ("gbk", "gb18030"), ("UTF-8", "utf-8"), ("big5", "big5"), ("no-such", None)],
)
def test_normalise_codec(label, expected):
    assert normalise_codec(label) == expected


def test_meta_charset_forms():
    assert declared_charset(b'<meta charset="GB2312">') == "gb18030"
    assert declared_charset(b"<META CHARSET=utf-8>") == "utf-8"
    assert declared_charset(b"<p>no meta</p>") is None
