"""Small Chinese numerals (一, 十二, 廿三, 二〇二一) as integers: one converter for the whole parser."""

from __future__ import annotations

CN_DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_number(text: str) -> int | None:
    """Value of a small number written in ASCII digits or Chinese numerals (0..9999), or None."""
    s = text.strip()
    if not s:
        return None
    if s.isascii():
        return int(s) if s.isdigit() else None
    if all(ch in CN_DIGITS for ch in s):  # digit by digit: 二〇二一
        value = 0
        for ch in s:
            value = value * 10 + CN_DIGITS[ch]
        return value
    s = s.replace("廿", "二十")
    if s.count("十") != 1:
        return None
    tens, _, units = s.partition("十")
    t = CN_DIGITS.get(tens, -1) if tens else 1
    u = CN_DIGITS.get(units, -1) if units else 0
    if t < 0 or u < 0:
        return None
    return t * 10 + u
