"""What people read names no library: the Chinese strings of the code (messages, help texts,
page text) and the page templates never mention a dependency such as chinese-calendar — they say
what a limit means for the person instead."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "eduplan"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def _libraries() -> set[str]:
    """The project's dependencies' names as a person might see them (chinese-calendar,
    chinese_calendar, python-docx …), the very generic ones left out."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for spec in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name = re.split(r"[<>=\[ ;]", spec, maxsplit=1)[0].lower()
        names |= {name, name.replace("-", "_")}
    # Names that are also what people know a format or a word by (iCalendar is the calendar
    # format phones subscribe to; rich is an English word) are not counted.
    return names - {"rich", "icalendar"} | {"chinese-calendar", "chinese_calendar"}


def _for_people(text: str) -> bool:
    """Chinese text (more Chinese characters than Latin letters): a message, not a code comment."""
    return len(CJK.findall(text)) > len(LATIN.findall(text))


def _strings(path: Path) -> list[tuple[int, str]]:
    """The module's Chinese strings; an f-string as its whole text (placeholders as ``{}``)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if _for_people(text):
            out.append((node.lineno, text))
    return out


def _named(text: str, libraries: set[str]) -> list[str]:
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]", text)}
    return sorted(words & libraries)


def test_the_scan_finds_a_library_name():
    assert _named("2027年安排尚未录入（chinese-calendar 仅含 2004–2026 年）", _libraries()) == [
        "chinese-calendar"
    ]
    assert _named("用 openpyxl 打开表格失败", _libraries()) == ["openpyxl"]
    assert _named("请安装 LibreOffice 后重试", _libraries()) == []


def test_no_chinese_string_in_the_code_names_a_library():
    libraries = _libraries()
    found = [
        f"{path.relative_to(REPO)}:{line}: {', '.join(names)}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, text in _strings(path)
        if (names := _named(text, libraries))
    ]
    assert not found, "\n".join(found)


def test_no_page_names_a_library():
    libraries = _libraries()
    found = [
        f"{path.relative_to(REPO)}:{number}: {', '.join(names)}"
        for path in sorted((PACKAGE / "web" / "templates").glob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CJK.search(line) and (names := _named(re.sub(r"<[^>]+>|\{[{%].*?[%}]\}", " ", line), libraries))
    ]
    assert not found, "\n".join(found)
