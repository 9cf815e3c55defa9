"""Format sniffing from content; the file name's extension is only a hint."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

SUPPORTED = ".txt .html .docx .xlsx .pdf .md .doc .xls .wps .et"

# Container formats by their magic bytes.
_PDF = re.compile(rb"%PDF-")
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OTHER_BINARIES = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
    (b"\x7fELF", "程序文件"),
    (b"MZ", "程序文件"),
)

# Markup near the start of a decoded document makes it HTML.
_MARKUP_AT_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|span|br|h[1-6]|ul|section|article)\b",
    re.IGNORECASE | re.DOTALL,
)
_MARKUP_ANYWHERE = re.compile(r"<(?:html|body|div|p|table|br|tr|td)\b[^>]*>", re.IGNORECASE)
MARKUP_WINDOW = 4096
"""Characters at the start of a text searched for an opening HTML tag."""

HTML_EXTENSIONS = frozenset({".html", ".htm", ".shtml", ".xhtml", ".mht", ".php", ".asp", ".aspx", ".jsp"})


def extension(name: str) -> str:
    return PurePath(name).suffix.lower()


def sniff_binary(data: bytes) -> str | None:
    """'pdf', 'zip' or 'ole' from magic bytes; None for anything that may be text."""
    if data[:4] in _ZIP_MAGIC:
        return "zip"
    if _PDF.search(data[:1024]):
        return "pdf"
    if data.startswith(_OLE_MAGIC):
        return "ole"
    return None


def other_binary(data: bytes) -> str | None:
    """A human name for well-known non-document binaries (images, archives, programs)."""
    for magic, label in _OTHER_BINARIES:
        if data.startswith(magic):
            return label
    return None


def zip_kind(data: bytes, name: str) -> str:
    """'docx' or 'xlsx' for an Office Open XML zip, judged by its member names.

    A zip whose directory cannot be read (truncated, corrupt) is judged by the member
    names visible in its local headers, then by the extension; 'zip' if still unknown.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        names = []
        head = data[: 4 * 1024 * 1024]
        if b"word/" in head:
            return "docx"
        if b"xl/" in head:
            return "xlsx"
    else:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    ext = extension(name)
    if ext in (".docx", ".docm", ".dotx"):
        return "docx"
    if ext in (".xlsx", ".xlsm", ".xltx"):
        return "xlsx"
    return "zip"


# Old (OLE2 compound file) Office formats: the streams that name each, and the
# extensions that tell them apart when no known stream is found.
WORD_STREAMS = ("WordDocument",)
SHEET_STREAMS = ("Workbook", "Book")
WORD_EXTENSIONS = {".doc": "doc", ".dot": "doc", ".wps": "wps", ".wpt": "wps"}
SHEET_EXTENSIONS = {".xls": "xls", ".xlt": "xls", ".et": "et", ".ett": "et"}
MARKDOWN_EXTENSIONS = frozenset({".md", ".markdown", ".mdown", ".mkd"})


def ole_kind(data: bytes, name: str) -> tuple[str, str]:
    """(family, format) of an OLE2 compound file, judged by its streams, then its extension.

    Families: ``word`` (format doc or wps), ``sheet`` (xls or et), ``encrypted`` (a
    password-protected .docx/.xlsx, which Office stores as an OLE2 file), ``powerpoint``,
    ``corrupt`` (no readable directory) and ``unknown``.
    """
    import olefile

    ext = extension(name)
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
    except Exception:  # olefile raises OSError and assorted errors on a broken directory
        return "corrupt", SHEET_EXTENSIONS.get(ext) or WORD_EXTENSIONS.get(ext) or "ole"
    if any(stream.lower() in streams for stream in WORD_STREAMS):
        return "word", WORD_EXTENSIONS.get(ext, "doc")
    if any(stream.lower() in streams for stream in SHEET_STREAMS):
        return "sheet", SHEET_EXTENSIONS.get(ext, "xls")
    if "encryptedpackage" in streams:
        return "encrypted", "ole"
    if "powerpoint document" in streams:
        return "powerpoint", "ppt"
    if ext in WORD_EXTENSIONS:  # e.g. a Works .wps, which LibreOffice also opens
        return "word", WORD_EXTENSIONS[ext]
    if ext in SHEET_EXTENSIONS:
        return "sheet", SHEET_EXTENSIONS[ext]
    return "unknown", "ole"


_HTML_DOCUMENT = re.compile(
    r"\A\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)


def looks_like_markdown(text: str, name: str) -> bool:
    """A Markdown file: its extension says so (nothing in Markdown text marks it), and it
    is not a whole HTML page saved under that name."""
    return extension(name) in MARKDOWN_EXTENSIONS and not _HTML_DOCUMENT.match(text[:MARKUP_WINDOW])


def looks_like_html(text: str, name: str) -> bool:
    """Markup such as <html>, <!doctype>, <body>, <div>, <p>, <table> at the start.

    With an .html extension one such tag anywhere in the first 64 KB is enough.
    """
    if _MARKUP_AT_START.match(text[:MARKUP_WINDOW]):
        return True
    if _MARKUP_ANYWHERE.search(text[:MARKUP_WINDOW]) and text.lstrip()[:1] == "<":
        return True
    return extension(name) in HTML_EXTENSIONS and _MARKUP_ANYWHERE.search(text[:65536]) is not None
