"""Bytes to text lines: format detection, encodings, docx/xlsx/pdf/html readers, junk removal.

Public surface: ``read_file(path, limits)`` and ``read_bytes(data, name, limits)``, both
returning a :class:`TextDocument` or raising :class:`eduplan.errors.ReadError` with a
Chinese message. No knowledge of plans lives here.

Formats are sniffed from content (the extension is only a hint): an OLE2 file is a Word
or an Excel file by its streams (.xls read with xlrd; .doc, .wps, .et and what xlrd
cannot read converted by LibreOffice, see ``convert``). Plain text keeps its lines one
to one with the file, and so does Markdown outside its HTML blocks, which are read as
HTML (``.md`` files). HTML, Word, Excel and PDF give one line per block or
table row, table cells joined by ``CELL_SEPARATOR`` with merged cells as empty strings.
A cell of several paragraphs (Word paragraphs, ``<p>``/``<li>``/``<br>`` lines, line
breaks in a spreadsheet cell) gives one line per paragraph: the first on the row's
line, each further one on a following line with every other cell empty, as a merged
continuation row; the k-th such line holds the k-th paragraph of every cell that has
several (see ``eduplan.read.document``).

May import: errors and settings only — no knowledge of plans lives here.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from eduplan.errors import LimitError, ReadError
from eduplan.read import detect
from eduplan.read.archive import check_zip, corrupt_message
from eduplan.read.document import CELL_SEPARATOR, Source, TextDocument
from eduplan.read.encoding import declared_charset, decode
from eduplan.read.sizes import TextBudget, file_too_big, text_too_long
from eduplan.read.txt import text_lines
from eduplan.settings import Limits

# The format readers (lxml, python-docx, openpyxl, pdfplumber) are imported when first
# needed, so reading a text file does not pay for loading PDF machinery.

__all__ = ["CELL_SEPARATOR", "Source", "TextDocument", "read_bytes", "read_file"]

FORMAT_LABELS = {
    "txt": "文本",
    "html": "网页",
    "md": "Markdown",
    "docx": "Word",
    "xlsx": "Excel",
    "pdf": "PDF",
    "xls": "Excel",
    "et": "WPS 表格",
    "doc": "Word",
    "wps": "WPS 文字",
}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_OR_LOST = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_CONTROL_IN_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
"""Control characters (tab kept) dropped from every line: a few stray ones do not make a file
binary, and PostgreSQL text cannot even hold U+0000. Bidi overrides and isolates go too: no plan
needs them, and on a page they turn the text around it backwards (``\u202egnp.exe``)."""
BINARY_SHARE = 0.02
"""Control or undecodable characters above this share of a text sample mean "not text"."""
_SAMPLE_CHARS = 65536


def _unsupported(name: str, what: str | None = None) -> ReadError:
    seen = f"（看起来是{what}）" if what else ""
    return ReadError(
        f"无法识别文件格式：{name}{seen}；支持的格式有 {detect.SUPPORTED}，请另存为其中一种后再导入。"
    )


def read_file(path: str | os.PathLike[str], limits: Limits | None = None) -> TextDocument:
    """Read a document file; its size is checked before any byte is read."""
    limits = limits or Limits.from_env()
    p = Path(path)
    try:
        if p.is_dir():
            raise ReadError(f"这是一个文件夹，不是文件：{p}")
        size = p.stat().st_size
        if size > limits.max_file_bytes:
            raise file_too_big(size, limits.max_file_bytes)
        with p.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError as error:
        raise ReadError(f"找不到文件：{p}") from error
    except PermissionError as error:
        raise ReadError(f"没有权限读取文件：{p}") from error
    except OSError as error:
        raise ReadError(f"无法打开文件：{p}（{error.strerror or error}）") from error
    return read_bytes(data, p.name, limits)


def read_bytes(data: bytes, name: str, limits: Limits | None = None) -> TextDocument:
    """Read a document from its bytes; ``name`` is shown in messages and used as a hint."""
    limits = limits or Limits.from_env()
    if len(data) > limits.max_file_bytes:
        raise file_too_big(len(data), limits.max_file_bytes)
    if not data.strip():
        raise ReadError(f"文件是空的：{name}")
    fmt = "txt"
    try:
        fmt, encoding, lines, warnings = _read(data, name, limits)
    except ReadError:
        raise
    except MemoryError as error:
        raise LimitError(f"文件内容太大，内存不足，无法读取：{name}。") from error
    except Exception as error:
        raise ReadError(_failure_message(fmt, name, error)) from error
    source = Source(name=name, sha256=hashlib.sha256(data).hexdigest(), format=fmt, encoding=encoding)
    lines = [_CONTROL_IN_LINE.sub("", line) if _CONTROL_IN_LINE.search(line) else line for line in lines]
    return TextDocument(lines=lines, source=source, warnings=warnings)


def _failure_message(fmt: str, name: str, error: Exception) -> str:
    if fmt in ("docx", "xlsx"):
        return corrupt_message(fmt)
    if fmt == "pdf":
        kind = type(error).__name__.lower()
        if "password" in kind or "encrypt" in kind:
            return f"无法读取 PDF 文件：{name} 已加密，请提供未加密的版本。"
        return f"无法读取 PDF 文件：{name} 已损坏或不完整。"
    return f"无法读取{FORMAT_LABELS.get(fmt, '')}文件：{name}，内容格式有误。"


def _read(data: bytes, name: str, limits: Limits) -> tuple[str, str | None, list[str], list[str]]:
    """(format, encoding, lines, warnings); library errors propagate to ``read_bytes``."""
    budget = TextBudget(limits.max_text_chars)
    kind = detect.sniff_binary(data)
    if kind == "zip":
        fmt = detect.zip_kind(data, name)
        if fmt == "zip":
            raise ReadError(f"这是一个压缩包，不是 Word 或 Excel 文件：{name}；请解压后导入其中的文件。")
        return _read_office(data, name, fmt, limits, budget)
    if kind == "pdf":
        from eduplan.read.pdf import pdf_lines

        try:
            lines, warnings = pdf_lines(data, limits, budget)
        except (ReadError, MemoryError):
            raise
        except Exception as error:
            raise ReadError(_failure_message("pdf", name, error)) from error
        return "pdf", None, _nonempty(lines, name), warnings
    if kind == "ole":
        return _read_old_office(data, name, limits, budget)
    other = detect.other_binary(data)
    if other:
        raise _unsupported(name, other)
    return _read_text(data, name, limits)


def _read_office(
    data: bytes, name: str, fmt: str, limits: Limits, budget: TextBudget
) -> tuple[str, str | None, list[str], list[str]]:
    check_zip(data, fmt, limits)
    try:
        if fmt == "docx":
            from eduplan.read.docx import docx_lines

            lines = docx_lines(data, budget)
        else:
            from eduplan.read.xlsx import xlsx_lines

            lines = xlsx_lines(data, budget)
    except (ReadError, MemoryError):
        raise
    except Exception as error:
        raise ReadError(corrupt_message(fmt)) from error
    return fmt, None, _nonempty(lines, name), []


def _read_old_office(
    data: bytes, name: str, limits: Limits, budget: TextBudget
) -> tuple[str, str | None, list[str], list[str]]:
    """.xls (and WPS .et) with xlrd; .doc, .wps, and what xlrd cannot read, via LibreOffice."""
    from eduplan.read.convert import convert, soffice_path

    family, fmt = detect.ole_kind(data, name)
    if family == "sheet":
        from eduplan.read.xls import xls_lines

        try:
            return fmt, None, _nonempty(xls_lines(data, budget), name), []
        except (ReadError, MemoryError):  # limits, an encrypted or an empty workbook
            raise
        except Exception as error:
            if soffice_path() is None:
                raise ReadError(
                    f"无法读取 Excel 文件：{name} 已损坏，或是读不了的旧格式；"
                    "请用 Excel 另存为 .xlsx 后再导入。"
                ) from error
        converted = convert(data, name, "." + fmt, "xlsx")
        fresh = TextBudget(limits.max_text_chars)  # xlrd may have taken some before failing
        return fmt, None, _read_office(converted, name, "xlsx", limits, fresh)[2], []
    if family == "word":
        converted = convert(data, name, "." + fmt, "docx")
        return fmt, None, _read_office(converted, name, "docx", limits, budget)[2], []
    if family == "encrypted":
        raise ReadError(f"文件设置了打开密码：{name}；请去掉密码后再导入。")
    if family == "powerpoint":
        raise _unsupported(name, "PowerPoint 演示文稿")
    if family == "corrupt":
        raise ReadError(f"无法读取旧版 Office 文件：{name} 已损坏或不完整。")
    raise ReadError(
        f"这是无法识别的旧版 Office 文件：{name}；请用 Word 或 Excel 另存为 .docx / .xlsx 后再导入。"
    )


def _read_text(data: bytes, name: str, limits: Limits) -> tuple[str, str | None, list[str], list[str]]:
    decoded = decode(data, declared_charset(data))
    text = decoded.text
    sample = text[:_SAMPLE_CHARS]
    # A U+FFFD written in the file is text; one the decoder put in marks an undecodable byte.
    odd = _CONTROL_OR_LOST if decoded.warnings else _CONTROL
    if len(odd.findall(sample)) > BINARY_SHARE * len(sample):
        raise _unsupported(name)
    if len(text) > limits.max_text_chars:
        raise text_too_long(len(text), limits.max_text_chars)
    if not text.strip():
        raise ReadError(f"文件是空的：{name}")
    if detect.looks_like_markdown(text, name):
        from eduplan.read.markdown import markdown_lines

        return "md", decoded.encoding, _nonempty(markdown_lines(text), name), decoded.warnings
    if detect.looks_like_html(text, name):
        from eduplan.read.html import html_lines

        return "html", decoded.encoding, _nonempty(html_lines(text), name), decoded.warnings
    return "txt", decoded.encoding, text_lines(text), decoded.warnings


def _nonempty(lines: list[str], name: str) -> list[str]:
    if not any(lines):
        raise ReadError(f"文件里没有可读的文字：{name}")
    return lines
