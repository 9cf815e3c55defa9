"""``eduplan bench fuzz``: the reader and the parser under generated and mutated input.

Seeds are the real corpus documents (``../shared/corpus/dev``) written out in every format the
reader takes — text in several encodings, HTML, Word, Excel, PDF — and as plan JSON. Each case
takes one seed and applies one to three mutations chosen by ``random.Random(seed)``: byte
flips, truncation, spliced or repeated chunks, zip members corrupted or rewritten (entity
declarations, deep nesting, thousands of members), huge lines of digits, dashes, brackets or
Chinese numerals, deep nesting of HTML and JSON, and hostile text (markup, bidi and control
characters, spreadsheet formulas, SQL). A few cases per hundred are generated from scratch.

Every case runs the whole pipeline a person's upload runs (``documents.plan_from_bytes``:
read, then understand). A refusal — :class:`eduplan.errors.EduplanError` with its Chinese
message — is an expected outcome; any other exception is a crash. Crashes and cases slower
than :data:`SLOW_SECONDS` are written to ``out/fuzz/`` with a note saying how to replay them.
The same ``--seed`` gives the same cases.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import random
import re
import signal
import time
import traceback
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from eduplan.errors import EduplanError
from eduplan.settings import Limits

SLOW_SECONDS = 1.0
"""A case taking this long or longer fails the run: no input may make the parser crawl."""
HANG_SECONDS = 30
"""A case still running after this long is stopped (SIGALRM where available) and reported."""
SEED_LINES = 80
"""Lines of each corpus document kept for the seeds other than the document itself."""
PDF_LINES = 40
"""Lines of each corpus document laid out in the PDF seeds (one or two pages)."""
MAX_SHOWN_CRASHES = 5
MAX_GROWTH = 256 * 1024
"""Bytes one repetition mutation may add: cases stay the size of real documents (under 1 MB)."""
MAX_JSON_ITEMS = 3000
"""Items a plan JSON may be multiplied to."""

FORMATS = ("txt", "html", "docx", "xlsx", "pdf", "json")

# Text a catastrophic regular expression would choke on, and text a page must escape.
_RUN_UNITS = (
    "1",
    "12",
    "2021",
    "0",
    "-",
    "—",
    "－",
    "~",
    "～",
    "至",
    "(",
    "（",
    ")",
    "【",
    "《",
    "“",
    "一",
    "二十",
    "十二",
    "〇",
    "第",
    "周",
    "月",
    "日",
    "年",
    " ",
    "\t",
    ".",
    "、",
    "，",
    "%",
    "个",
    "3月1日",
    "3月1日—",
    "1.2-",
    "第1周",
    "第一周至",
    "（一）",
    "1、",
    "2021年3月",
    "上旬",
    "各学校",
    "基教股、",
    "达到95%",
    "不少于10所",
    "9:30",
)
HOSTILE = (
    "<script>alert(1)</script>",
    "&lt;b&gt;&amp;",
    "\u202egnp.exe",
    "\x00\x01\x1b[31m\x7f",
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "'; DROP TABLE items; --",
    '" OR 1=1 --',
    "\ufeff\u200b\u2028\u2029",
    "\ud7ff\ue000\uffff",
    "𠀀𪚥😀",
)
_ALPHABET = (
    "0123456789年月日周第至一二三四五六七八九十百千万〇零（）()【】《》“”、，。；：—-－~～ \t"
    "上中下旬底初前各学校教育局基教股师训股教研室完成开展组织召开举行达到不少于以上%个所名"
    "abcXYZ<>&;#\\/\"'="
)


@dataclass(frozen=True)
class Seed:
    """One corpus document in one format."""

    format: str
    name: str
    data: bytes


@dataclass(frozen=True)
class Case:
    """One input: the seed it came from (or "generated"), the mutations applied, the bytes."""

    number: int
    format: str
    origin: str
    mutations: tuple[str, ...]
    name: str
    data: bytes

    def label(self) -> str:
        return f"#{self.number} {self.format} {self.origin} [{', '.join(self.mutations) or '原样'}]"


@dataclass
class Crash:
    case: Case
    error: str
    trace: str
    saved: Path | None = None


@dataclass
class FuzzResult:
    cases: int = 0
    refused: int = 0
    parsed: int = 0
    crashes: list[Crash] = field(default_factory=list)
    slowest_seconds: float = 0.0
    """CPU time of the slowest case."""
    slowest_wall_seconds: float = 0.0
    slowest: Case | None = None
    slowest_saved: Path | None = None
    total_seconds: float = 0.0
    slow_cases: int = 0
    """Cases at or over :data:`SLOW_SECONDS` (each saved to ``out_dir`` when it happens)."""
    by_format: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.crashes and self.slowest_seconds < SLOW_SECONDS


class CaseTimeout(Exception):
    """Raised by the alarm when one case runs past :data:`HANG_SECONDS`."""


# --- seeds -----------------------------------------------------------------------------------


def _docx(lines: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.created = document.core_properties.modified = dt.datetime(2021, 3, 1)
    rows = [line.split("\t") for line in lines if "\t" in line]
    width = max((len(r) for r in rows), default=0)
    for line in lines:
        if "\t" not in line:
            document.add_paragraph(line)
    if rows:
        table = document.add_table(rows=len(rows), cols=width)
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                table.cell(r, c).text = text
    else:  # a table of the first lines, so every docx seed has one
        table = document.add_table(rows=min(len(lines), 8), cols=2)
        for r, line in enumerate(lines[:8]):
            table.cell(r, 0).text = str(r + 1)
            table.cell(r, 1).text = line
    out = io.BytesIO()
    document.save(out)
    return _stable(out.getvalue())


def _xlsx(lines: list[str]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.properties.created = workbook.properties.modified = dt.datetime(2021, 3, 1)
    sheet = workbook.active
    sheet.title = "行事历"
    for line in lines:
        sheet.append(line.split("\t") if "\t" in line else [line])
    if sheet.max_row >= 3:
        sheet.merge_cells("A2:A3")
    out = io.BytesIO()
    workbook.save(out)
    return _stable(out.getvalue())


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=A4, invariant=True)
    y = 800
    for line in lines:
        if y < 60:
            drawing.showPage()
            y = 800
        drawing.setFont("STSong-Light", 10)
        drawing.drawString(40, y, line.replace("\t", "  ")[:60])
        y -= 16
    drawing.showPage()
    drawing.save()
    return out.getvalue()


def _html(lines: list[str]) -> str:
    body = []
    rows = []
    for line in lines:
        if "\t" in line:
            rows.append("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in line.split("\t")) + "</tr>")
        else:
            body.append(f"<p>{_esc(line)}</p>")
    table = f"<table border=1>{''.join(rows)}</table>" if rows else ""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>通知</title>'
        "<script>var a='<p>x</p>';</script></head><body><div class=nav>首页 &gt; 通知</div>"
        + "".join(body[:3])
        + table
        + "".join(body[3:])
        + "<div id=footer>版权所有</div></body></html>"
    )


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plan_json(text: str, name: str) -> bytes:
    from eduplan.read import read_bytes
    from eduplan.understand import understand

    plan = understand(read_bytes(text.encode("utf-8"), name))
    return json.dumps(plan.to_json(), ensure_ascii=False).encode("utf-8")


def build_seeds(corpus: Path) -> list[Seed]:
    """Every corpus document in every format (a few seconds: Word, Excel and PDF are written)."""
    from eduplan.bench.parse import corpus_documents

    seeds: list[Seed] = []
    for path in corpus_documents(corpus):
        stem = path.stem
        data = path.read_bytes()
        if path.suffix.lower() != ".txt":
            seeds.append(Seed(path.suffix.lower().lstrip("."), path.name, data))
            continue
        text = data.decode("utf-8-sig", errors="replace")
        lines = [ln for ln in text.splitlines() if ln.strip()]
        seeds.append(Seed("txt", f"{stem}.txt", data))
        short = lines[:SEED_LINES]
        for encoding in ("utf-8-sig", "gb18030", "gbk", "big5", "utf-16"):
            encoded = "\n".join(short).encode(encoding, errors="replace")
            seeds.append(Seed("txt", f"{stem}.{encoding}.txt", encoded))
        seeds.append(Seed("html", f"{stem}.html", _html(short).encode("utf-8")))
        seeds.append(
            Seed("html", f"{stem}.gbk.htm", _html(short).replace("utf-8", "gbk").encode("gbk", "replace"))
        )
        seeds.append(Seed("docx", f"{stem}.docx", _docx(short)))
        seeds.append(Seed("xlsx", f"{stem}.xlsx", _xlsx(short)))
        seeds.append(Seed("pdf", f"{stem}.pdf", _pdf(lines[:PDF_LINES])))
        seeds.append(Seed("json", f"{stem}.json", _plan_json(text, path.name)))
    if not seeds:
        raise EduplanError(f"语料文件夹 {corpus} 中没有文档")
    return seeds


# --- mutations -------------------------------------------------------------------------------


def hostile_run(rng: random.Random, length: int) -> str:
    """A long run of one or two of the pieces a date, number or heading is made of."""
    pieces = [rng.choice(_RUN_UNITS) for _ in range(rng.randint(1, 3))]
    out: list[str] = []
    size = 0
    while size < length:
        piece = rng.choice(pieces)
        out.append(piece)
        size += len(piece)
    return "".join(out)[:length]


def random_text(rng: random.Random, length: int) -> str:
    """Text drawn from the characters plans are written in, with hostile strings mixed in."""
    out: list[str] = []
    while sum(map(len, out)) < length:
        roll = rng.random()
        if roll < 0.05:
            out.append(rng.choice(HOSTILE))
        elif roll < 0.1:
            out.append(hostile_run(rng, rng.randint(5, 200)))
        elif roll < 0.15:
            out.append("\n")
        elif roll < 0.17:
            code = rng.randint(0, 0x2FFFF) if rng.random() < 0.5 else rng.randint(0, 0x7F)
            out.append(chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd")  # no lone surrogates
        else:
            out.append(rng.choice(_ALPHABET))
    return "".join(out)


def _huge_line_length(rng: random.Random) -> int:
    return rng.choice((200, 200, 1000, 1000, 5000, 20000, 60000))


def _flip(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 16, 64))):
        if not buf:
            break
        i = rng.randrange(len(buf))
        buf[i] = rng.randrange(256) if rng.random() < 0.7 else buf[i] ^ (1 << rng.randrange(8))
    return bytes(buf)


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(max(len(data), 1))]


def _insert_bytes(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.randbytes(rng.choice((1, 8, 64, 512))) + data[i:]


def _delete_chunk(rng: random.Random, data: bytes) -> bytes:
    if len(data) < 2:
        return data
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, max(1, len(data) // 8)) :]


def _repeat_chunk(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    chunk = data[i : i + rng.randint(1, 256)]
    times = min(rng.choice((2, 10, 100, 1000)), MAX_GROWTH // len(chunk))
    return data[:i] + chunk * times + data[i:]


def _text_of(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _insert_text(data: bytes, rng: random.Random, text: str) -> bytes:
    """Text put in at a line boundary (or anywhere), in the document's own encoding."""
    decoded, encoding = _text_of(data)
    lines = decoded.split("\n")
    i = rng.randrange(len(lines) + 1)
    if rng.random() < 0.5 or not lines:
        lines.insert(i, text)
    else:
        j = min(i, len(lines) - 1)
        k = rng.randrange(len(lines[j]) + 1)
        lines[j] = lines[j][:k] + text + lines[j][k:]
    return "\n".join(lines).encode(encoding if encoding != "utf-8-sig" else "utf-8", errors="replace")


def _huge_line(rng: random.Random, data: bytes) -> bytes:
    return _insert_text(data, rng, hostile_run(rng, _huge_line_length(rng)))


def _hostile_text(rng: random.Random, data: bytes) -> bytes:
    return _insert_text(data, rng, "".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 4))))


def _random_text_in(rng: random.Random, data: bytes) -> bytes:
    return _insert_text(data, rng, random_text(rng, rng.choice((20, 200, 2000))))


def _many_lines(rng: random.Random, data: bytes) -> bytes:
    line = hostile_run(rng, rng.randint(1, 12))
    return _insert_text(data, rng, "\n".join([line] * rng.choice((100, 500, 3000))))


def _deep_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((100, 1000, 10000, 50000))
    kind = rng.choice(("div", "table", "bracket", "json"))
    if kind == "div":
        text = "<div>" * depth + "深" + "</div>" * (depth // 2)
    elif kind == "table":
        text = "<table><tr><td>" * (depth // 10) + "深"
    elif kind == "bracket":
        text = "（" * depth + "一" + "）" * (depth // 3)
    else:
        text = "[" * depth + "1" + "]" * depth
    return _insert_text(data, rng, text)


def _splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    j = rng.randrange(len(other) + 1)
    return data[:i] + other[j:]


BYTE_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "flip": _flip,
    "truncate": _truncate,
    "insert_bytes": _insert_bytes,
    "delete_chunk": _delete_chunk,
    "repeat_chunk": _repeat_chunk,
}
TEXT_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "huge_line": _huge_line,
    "hostile_text": _hostile_text,
    "random_text": _random_text_in,
    "many_lines": _many_lines,
    "deep_nesting": _deep_nesting,
}

# --- zip members -----------------------------------------------------------------------------

_XML_ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
    b'<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>'
)
_XML_EXTERNAL = (
    b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">'
    b'<!ENTITY y SYSTEM "http://127.0.0.1:9/x">]>'
)


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info, archive.read(info)) for info in archive.infolist()]
    except Exception:  # a seed already broken by an earlier mutation: no members to rewrite
        return None


def _zip(members: list[tuple[str, bytes]], stored: bool = False) -> bytes:
    """An archive of ``members`` with a fixed timestamp, so a seed gives the same bytes every run."""
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, content in members:
            archive.writestr(zipfile.ZipInfo(name, date_time=_EPOCH), content, compress_type=method)
    return out.getvalue()


_EPOCH = (2021, 3, 1, 0, 0, 0)


def _stable(data: bytes) -> bytes:
    """A saved Word or Excel file rewritten with fixed member timestamps."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    # openpyxl stamps the save time into the core properties whatever they were set to.
    members = [(n, _SAVED_AT.sub(rb"\g<1>2021-03-01T00:00:00Z\g<2>", c)) for n, c in members]
    return _zip(members)


_SAVED_AT = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _xml_member_edit(rng: random.Random, content: bytes) -> bytes:
    """Rewrite one XML part: entities declared, elements nested deep, hostile text in a run."""
    roll = rng.randrange(7)
    body = content.split(b"?>", 1)[-1] if content.startswith(b"<?xml") else content
    if roll == 0:
        return _XML_ENTITY_BOMB + body.replace(b">", b">&g;", 1)
    if roll == 1:
        return _XML_EXTERNAL + body.replace(b">", b">&x;&y;", 1)
    if roll == 2:
        depth = rng.choice((100, 1000, 5000, 20000))
        tag = rng.choice((b"w:sdt", b"w:customXml", b"w:tbl", b"w:tc", b"x"))
        i = rng.randrange(len(body) + 1)
        return body[:i] + (b"<" + tag + b">") * depth + body[i:]
    if roll == 3:
        text = rng.choice((*HOSTILE, hostile_run(rng, _huge_line_length(rng))))
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").encode("utf-8", "replace")
        for marker in (b"<w:t>", b'<w:t xml:space="preserve">', b"<t>", b"<v>"):
            if marker in body:
                return body.replace(marker, marker + escaped, rng.randint(1, 3))
        return body + escaped
    if roll == 4:
        attr = rng.choice((b'w:val="', b'r="', b'ref="', b'w:gridSpan w:val="', b'count="'))
        value = rng.choice((b"-1", b"99999999999999999999", b"A0", b"XFD1048576", b"1:1048576", b"", b"NaN"))
        return body.replace(attr, attr + value, rng.randint(1, 5))
    if roll == 5:
        return _flip(rng, body)
    return _truncate(rng, body)


def _zip_member(rng: random.Random, data: bytes) -> bytes:
    members = _members(data)
    if not members:
        return _flip(rng, data)
    index = rng.randrange(len(members))
    names = [(info.filename, content) for info, content in members]
    name, content = names[index]
    roll = rng.random()
    if roll < 0.15:
        del names[index]
    elif roll < 0.2:
        names[index] = (name, b"")
    elif roll < 0.25:
        other = rng.randrange(len(members))
        names[index] = (name, names[other][1])
    else:
        names[index] = (name, _xml_member_edit(rng, content))
    return _zip(names, stored=rng.random() < 0.2)


def _zip_many_members(rng: random.Random, data: bytes) -> bytes:
    members = _members(data)
    if not members:
        return data
    names = [(info.filename, content) for info, content in members]
    count = rng.choice((100, 2000, 10_001))
    base = len(names)  # names never repeat, even when the mutation runs twice
    names.extend((f"customXml/fuzz{base + i}.xml", b"<a/>") for i in range(count))
    return _zip(names, stored=True)


def _zip_bomb_member(rng: random.Random, data: bytes) -> bytes:
    """A member that inflates far beyond its packed size (refused before any library opens it)."""
    members = _members(data)
    if not members:
        return data
    names = [(info.filename, content) for info, content in members]
    index = rng.randrange(len(names))
    size = rng.choice((2, 8, 40)) * 1024 * 1024
    names[index] = (names[index][0], _zeros(size))
    return _zip(names)


_ZEROS: dict[int, bytes] = {}


def _zeros(size: int) -> bytes:
    if size not in _ZEROS:
        _ZEROS[size] = b"<a>" + b"\0" * size + b"</a>"
    return _ZEROS[size]


def _zip_raw_directory(rng: random.Random, data: bytes) -> bytes:
    """Corrupt the central directory's numbers (sizes, offsets, counts) rather than content."""
    at = data.rfind(b"PK\x01\x02")
    if at < 0:
        return _flip(rng, data)
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        i = at + rng.choice((10, 16, 20, 24, 28, 30, 42))
        if i < len(buf):
            buf[i] = rng.choice((0, 0xFF, 0x7F, rng.randrange(256)))
    return bytes(buf)


ZIP_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "zip_member": _zip_member,
    "zip_many_members": _zip_many_members,
    "zip_bomb": _zip_bomb_member,
    "zip_directory": _zip_raw_directory,
}

# --- PDF -------------------------------------------------------------------------------------


def _pdf_numbers(rng: random.Random, data: bytes) -> bytes:
    """Page counts, lengths, object numbers and font sizes made absurd."""
    words = (b"/Count ", b"/Length ", b"/Size ", b" 0 R", b"/MediaBox [", b"Tf", b"/W [", b"/First ")
    word = rng.choice(words)
    value = rng.choice((b"0", b"-1", b"999999999", b"100000", b"1e308", b"NaN", b"3"))
    return data.replace(word, word + value if not word.endswith(b"R") else value + word, rng.randint(1, 3))


def _pdf_stream(rng: random.Random, data: bytes) -> bytes:
    """Content-stream operators repeated or nested (q/Q, BT/ET, arrays)."""
    snippet = rng.choice(
        (b"q " * 5000, b"BT " * 2000, b"[" * 5000, b"<<" * 5000, b"(" * 5000, b"1 0 0 1 0 0 cm " * 2000)
    )
    at = data.find(b"stream")
    at = at + 7 if at >= 0 else rng.randrange(len(data) + 1)
    return data[:at] + snippet + data[at:]


PDF_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "pdf_numbers": _pdf_numbers,
    "pdf_stream": _pdf_stream,
}

# --- plan JSON -------------------------------------------------------------------------------


def _json_edit(rng: random.Random, data: bytes) -> bytes:
    try:
        plan = json.loads(data)
    except (ValueError, RecursionError):
        return _flip(rng, data)
    if not isinstance(plan, dict):
        return data
    roll = rng.randrange(6)
    odd_values: list = [None, 0, -1, 1e308, "", "x", [], {}, True, "2021-02-30", "9999-99-99", "NaN", [[[]]]]
    if roll == 0 and plan.get("items"):
        item = rng.choice(plan["items"])
        if isinstance(item, dict) and item:
            item[rng.choice(list(item))] = rng.choice(odd_values)
    elif roll == 1 and plan.get("targets"):
        target = rng.choice(plan["targets"])
        if isinstance(target, dict) and target:
            target[rng.choice(list(target))] = rng.choice(odd_values)
    elif roll == 2:
        plan[rng.choice(list(plan) or ["title"])] = rng.choice(odd_values)
    elif roll == 3:
        plan["title"] = random_text(rng, rng.choice((10, 1000, 50000)))
    elif roll == 4 and isinstance(plan.get("items"), list) and 0 < len(plan["items"]) <= MAX_JSON_ITEMS:
        plan["items"] = plan["items"] * max(
            1, min(rng.choice((2, 20, 100)), MAX_JSON_ITEMS // len(plan["items"]))
        )
    else:
        depth = rng.choice((10, 500, 5000))
        plan["warnings"] = "@@NESTED@@"
        text = json.dumps(plan, ensure_ascii=False, default=str)
        nested = '{"a": [' * depth + '"深"' + "]}" * depth
        return text.replace('"@@NESTED@@"', nested).encode("utf-8")
    text = json.dumps(plan, ensure_ascii=rng.random() < 0.3, default=str, allow_nan=True)
    return text.encode("utf-8")


def _json_deep(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice((1000, 100_000))
    head = b'{"schema": "eduplan.plan/1", "items": '
    return head + b"[" * depth + b"]" * depth + b"}"


JSON_MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "json_edit": _json_edit,
    "json_deep": _json_deep,
}

_BY_FORMAT = {
    "txt": [BYTE_MUTATIONS, TEXT_MUTATIONS, TEXT_MUTATIONS],
    "html": [BYTE_MUTATIONS, TEXT_MUTATIONS, TEXT_MUTATIONS],
    "docx": [BYTE_MUTATIONS, ZIP_MUTATIONS, ZIP_MUTATIONS],
    "xlsx": [BYTE_MUTATIONS, ZIP_MUTATIONS, ZIP_MUTATIONS],
    "pdf": [BYTE_MUTATIONS, PDF_MUTATIONS],
    "json": [BYTE_MUTATIONS, JSON_MUTATIONS, JSON_MUTATIONS, TEXT_MUTATIONS],
    "md": [BYTE_MUTATIONS, TEXT_MUTATIONS, TEXT_MUTATIONS],
    "xls": [BYTE_MUTATIONS],  # an OLE compound file: bytes only
}
_NAMES_FOR = {
    "txt": ("a.txt", "a.docx", "a", "a.pdf"),
    "html": ("a.html", "a.htm", "a.txt"),
    "docx": ("a.docx", "a.xlsx", "a.zip", "a.txt"),
    "xlsx": ("a.xlsx", "a.docx", "a"),
    "pdf": ("a.pdf", "a.docx"),
    "json": ("a.json", "a.txt"),
    "md": ("a.md", "a.txt"),
    "xls": ("a.xls", "a.xlsx", "a.docx"),
}
GENERATED_SHARE = 0.05


def generate_case(rng: random.Random, seeds: list[Seed], number: int) -> Case:
    """One case: a seed with one to three mutations, or (sometimes) text or bytes from scratch."""
    if rng.random() < GENERATED_SHARE:
        if rng.random() < 0.7:
            text = random_text(rng, rng.choice((10, 100, 1000, 10000)))
            encoding = rng.choice(("utf-8", "gb18030", "utf-16", "big5"))
            data = text.encode(encoding, errors="replace")
            return Case(
                number, "txt", "generated", (f"random_text/{encoding}",), rng.choice(_NAMES_FOR["txt"]), data
            )
        data = rng.randbytes(rng.choice((1, 16, 512, 4096)))
        return Case(
            number, "bin", "generated", ("random_bytes",), rng.choice(("a.txt", "a.docx", "a.pdf", "a")), data
        )
    seed = rng.choice(seeds)
    data = seed.data
    applied: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        group = rng.choice(_BY_FORMAT.get(seed.format, [BYTE_MUTATIONS]))
        if group is ZIP_MUTATIONS and rng.random() < 0.9 and "zip_bomb" not in applied:
            # Bombs and 10,000-member archives are slow to build; most zip cases edit one member.
            name = (
                "zip_member"
                if rng.random() < 0.85
                else rng.choice(("zip_directory", "zip_bomb", "zip_many_members"))
            )
        else:
            name = rng.choice(list(group))
        try:
            data = group[name](rng, data)
        except Exception:  # a mutation that cannot apply to this input is skipped, the case goes on
            applied.append(f"{name}(跳过)")
            continue
        applied.append(name)
    if rng.random() < 0.03:
        other = rng.choice(seeds)
        data = _splice(rng, data, other.data)
        applied.append(f"splice:{other.format}")
    name = rng.choice(_NAMES_FOR.get(seed.format, (f"a.{seed.format}",)))
    return Case(number, seed.format, seed.name, tuple(applied), name, data)


def case_random(seed: int, number: int) -> random.Random:
    """The generator of case ``number`` of a run: any case can be rebuilt alone, in any process."""
    return random.Random(f"eduplan-fuzz:{seed}:{number}")


def generate_cases(count: int, seed: int, seeds: list[Seed], first: int = 1) -> Iterator[Case]:
    for number in range(first, first + count):
        yield generate_case(case_random(seed, number), seeds, number)


# --- running ---------------------------------------------------------------------------------


def run_case(case: Case, limits: Limits) -> tuple[str, BaseException | None]:
    """("parsed" | "refused" | "crash", the exception); the whole pipeline an upload runs."""
    from eduplan.documents import plan_from_bytes

    try:
        plan = plan_from_bytes(case.data, case.name, limits=limits)
        json.dumps(plan.to_json(), ensure_ascii=False)
    except EduplanError as error:
        message = str(error)
        if not message or not any("\u4e00" <= ch <= "\u9fff" for ch in message):
            return "crash", AssertionError(f"拒绝信息不是中文：{message!r}")
        return "refused", error
    except CaseTimeout as error:
        return "crash", error
    except Exception as error:  # the point of fuzzing: anything else is a crash
        return "crash", error
    return "parsed", None


def _on_alarm(signum, frame):  # pragma: no cover - only on a hang
    raise CaseTimeout(f"单个用例超过 {HANG_SECONDS} 秒仍未结束")


def save_case(case: Case, out_dir: Path, kind: str, note: str) -> Path:
    """The input as a file plus a note with the traceback and how to replay it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = Path(case.name).suffix or ".bin"
    path = out_dir / f"{kind}-{case.number:06d}{suffix}"
    path.write_bytes(case.data)
    replay = (
        f"{case.label()}\n原文件名：{case.name}\n重现：eduplan parse {path}  "
        f'或 python -c "from eduplan.documents import plan_from_bytes; import pathlib; '
        f"plan_from_bytes(pathlib.Path('{path}').read_bytes(), '{case.name}')\"\n\n{note}\n"
    )
    path.with_suffix(path.suffix + ".txt").write_text(replay, encoding="utf-8")
    return path


def _quiet() -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    warnings.simplefilter("ignore")


def _warm_up(seeds: list[Seed], limits: Limits) -> None:
    """Each seed once, unmeasured: imports and compiled patterns are not charged to a case."""
    for warm in seeds:
        run_case(Case(0, warm.format, warm.name, (), warm.name, warm.data), limits)


def _run_range(
    first: int,
    count: int,
    seed: int,
    seeds: list[Seed],
    limits: Limits,
    out_dir: Path | None,
    progress: Callable[[FuzzResult], None] | None = None,
) -> FuzzResult:
    """Cases ``first`` … ``first + count - 1``; a case's time is the CPU time it took (a shared
    machine's load must not make a fast case look slow), its wall time is kept beside it."""
    result = FuzzResult()
    alarm = hasattr(signal, "SIGALRM")
    previous = signal.signal(signal.SIGALRM, _on_alarm) if alarm else None
    try:
        for case in generate_cases(count, seed, seeds, first):
            if alarm:
                signal.alarm(HANG_SECONDS)
            cpu0, wall0 = time.process_time(), time.perf_counter()
            outcome, error = run_case(case, limits)
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
            if alarm:
                signal.alarm(0)
            result.cases += 1
            result.by_format[case.format] = result.by_format.get(case.format, 0) + 1
            if outcome == "refused":
                result.refused += 1
            elif outcome == "parsed":
                result.parsed += 1
            else:
                trace = "".join(traceback.format_exception(error)) if error else ""
                crash = Crash(case, f"{type(error).__name__}: {error}"[:300], trace)
                if out_dir is not None and len(result.crashes) < 50:
                    crash.saved = save_case(case, out_dir, "crash", trace)
                result.crashes.append(crash)
            if cpu >= SLOW_SECONDS:
                result.slow_cases += 1
                if out_dir is not None and result.slow_cases <= 20:
                    save_case(case, out_dir, "slow", f"耗时 {cpu:.3f} 秒 CPU（墙钟 {wall:.3f} 秒）")
            if cpu > result.slowest_seconds:
                result.slowest_seconds, result.slowest_wall_seconds, result.slowest = cpu, wall, case
            if progress is not None:
                progress(result)
    finally:
        if alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    return result


def _merge(total: FuzzResult, part: FuzzResult) -> None:
    total.cases += part.cases
    total.refused += part.refused
    total.parsed += part.parsed
    total.slow_cases += part.slow_cases
    total.crashes.extend(part.crashes)
    for fmt, n in part.by_format.items():
        total.by_format[fmt] = total.by_format.get(fmt, 0) + n
    if part.slowest_seconds > total.slowest_seconds:
        total.slowest_seconds, total.slowest_wall_seconds = part.slowest_seconds, part.slowest_wall_seconds
        total.slowest = part.slowest


_WORKER: dict = {}
CHUNK = 250
"""Cases one worker process runs per task with ``jobs`` > 1."""


def _worker_init(corpus: Path, limits: Limits, out_dir: Path | None) -> None:  # pragma: no cover - subprocess
    _quiet()
    seeds = build_seeds(corpus)
    _warm_up(seeds, limits)
    _WORKER.update(seeds=seeds, limits=limits, out_dir=out_dir)


def _worker_run(first: int, count: int, seed: int) -> FuzzResult:  # pragma: no cover - subprocess
    return _run_range(first, count, seed, _WORKER["seeds"], _WORKER["limits"], _WORKER["out_dir"])


def run_fuzz(
    cases: int,
    seed: int = 0,
    corpus: Path | None = None,
    out_dir: Path | None = None,
    limits: Limits | None = None,
    progress: Callable[[FuzzResult, int], None] | None = None,
    seeds: list[Seed] | None = None,
    jobs: int = 1,
) -> FuzzResult:
    """Run cases 1 … ``cases`` of run ``seed`` (in ``jobs`` processes); reproducers of crashes
    and of a case at or over :data:`SLOW_SECONDS` go to ``out_dir``."""
    from eduplan.bench.parse import default_corpus

    limits = limits or Limits()
    _quiet()
    corpus = corpus or default_corpus()
    started = time.perf_counter()
    if jobs <= 1:
        seeds = seeds if seeds is not None else build_seeds(corpus)
        _warm_up(seeds, limits)
        report = (lambda r: progress(r, cases)) if progress is not None else None
        result = _run_range(1, cases, seed, seeds, limits, out_dir, report)
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        result = FuzzResult()
        with ProcessPoolExecutor(jobs, initializer=_worker_init, initargs=(corpus, limits, out_dir)) as pool:
            futures = [
                pool.submit(_worker_run, first, min(CHUNK, cases - first + 1), seed)
                for first in range(1, cases + 1, CHUNK)
            ]
            for future in as_completed(futures):
                try:
                    part = future.result()
                except BaseException:
                    pool.shutdown(wait=False, cancel_futures=True)  # do not run 100,000 cases to fail
                    raise
                _merge(result, part)
                if progress is not None:
                    progress(result, cases)
        result.crashes.sort(key=lambda c: c.case.number)
    result.total_seconds = time.perf_counter() - started
    if out_dir is not None and result.slowest is not None and result.slowest_seconds >= SLOW_SECONDS:
        result.slowest_saved = save_case(  # the same file when the worker saved it already
            result.slowest,
            out_dir,
            "slow",
            f"耗时 {result.slowest_seconds:.3f} 秒 CPU（墙钟 {result.slowest_wall_seconds:.3f} 秒；"
            f"上限 {SLOW_SECONDS} 秒）",
        )
    return result


def summary_line(result: FuzzResult, seed: int) -> str:
    slowest = result.slowest.label() if result.slowest else "-"
    return (
        f"bench fuzz: {result.cases} 个用例（种子 {seed}）· 拒绝 {result.refused} · 解析 {result.parsed}"
        f" · 崩溃 {len(result.crashes)} · 最慢 {result.slowest_seconds:.3f} 秒 CPU"
        f"（墙钟 {result.slowest_wall_seconds:.3f} 秒，{slowest}）"
        f" · 共 {result.total_seconds:.0f} 秒"
    )


def report_lines(result: FuzzResult, seed: int) -> list[str]:
    lines = [summary_line(result, seed)]
    counts = "、".join(f"{fmt} {n}" for fmt, n in sorted(result.by_format.items()))
    lines.append(f"各格式用例数：{counts}")
    for crash in result.crashes[:MAX_SHOWN_CRASHES]:
        where = f" → {crash.saved}" if crash.saved else ""
        lines.append(f"崩溃 {crash.case.label()}：{crash.error}{where}")
    if len(result.crashes) > MAX_SHOWN_CRASHES:
        lines.append(f"…… 另有 {len(result.crashes) - MAX_SHOWN_CRASHES} 个崩溃")
    if result.slowest_seconds >= SLOW_SECONDS:
        where = f" → {result.slowest_saved}" if result.slowest_saved else ""
        lines.append(f"{result.slow_cases} 个用例达到 {SLOW_SECONDS} 秒；最慢的一个{where}")
    return lines
