"""Rules for files attached to progress reports: size, a safe name, and a type read from the bytes.

A file is accepted only when its content is one of a few kinds (PDF, Word, Excel, PNG, JPEG,
plain text), whatever its name says; the stored type is the one sniffed, never the browser's.
Downloads are always ``Content-Disposition: attachment`` with ``nosniff`` (see the route).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import AsyncIterator, Sequence
from urllib.parse import quote

from fastapi import HTTPException, Request, Response
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from eduplan.errors import EduplanError
from eduplan.read.sizes import human_size
from eduplan.supervise.progress import NewAttachment

DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_REPORT = 5
MAX_NAME_CHARS = 120
FALLBACK_NAME = "附件"

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"

# The allow-list: content type → (extensions a name may keep, the extension added otherwise).
ALLOWED: dict[str, tuple[tuple[str, ...], str]] = {
    PDF: ((".pdf",), ".pdf"),
    DOCX: ((".docx",), ".docx"),
    XLSX: ((".xlsx",), ".xlsx"),
    PNG: ((".png",), ".png"),
    JPEG: ((".jpg", ".jpeg"), ".jpg"),
    TEXT: ((".txt", ".csv", ".md"), ".txt"),
}
ALLOWED_LABEL = "PDF、Word（.docx）、Excel（.xlsx）、PNG、JPEG 图片或纯文本"

_UNSAFE_CHARS = re.compile(r'[<>:"|?*\\/]')
_SPACES = re.compile(r"\s+")
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_SAMPLE = 65536
_CONTROL_SHARE = 0.01


class AttachmentError(EduplanError):
    """An attachment was refused (too big, empty, not an allowed kind)."""


# An attachment that passed the rules, ready to store.
CheckedFile = NewAttachment


def max_attachment_bytes(environ: dict[str, str] | None = None) -> int:
    """EDUPLAN_MAX_ATTACHMENT_BYTES, else 10 MB."""
    env = os.environ if environ is None else environ
    raw = (env.get("EDUPLAN_MAX_ATTACHMENT_BYTES") or "").strip()
    try:
        value = int(raw) if raw else DEFAULT_MAX_ATTACHMENT_BYTES
    except ValueError:
        return DEFAULT_MAX_ATTACHMENT_BYTES
    return value if value > 0 else DEFAULT_MAX_ATTACHMENT_BYTES


def _zip_kind(data: bytes) -> str | None:
    """Word or Excel by the archive's member names (nothing is decompressed)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _text_kind(data: bytes) -> str | None:
    """``text/plain; charset=…`` for UTF-8 (or UTF-8 with BOM) or GB18030 text, else None."""
    for encoding, label in (("utf-8-sig", "utf-8"), ("gb18030", "gb18030")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:_TEXT_SAMPLE]
        if "\x00" in sample or len(_TEXT_CONTROL.findall(sample)) > _CONTROL_SHARE * len(sample):
            return None
        return f"{TEXT}; charset={label}"
    return None


def sniff_type(data: bytes) -> str | None:
    """The content type of ``data`` if it is one the allow-list accepts, else None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return _text_kind(data)


def _check_archive(shown: str, data: bytes, kind: str) -> None:
    """A Word or Excel attachment is opened by whoever downloads it: the same zip-bomb guard as an
    imported document (member count, compression ratio, unpacked size), nothing decompressed."""
    from eduplan.read.archive import check_zip
    from eduplan.settings import Limits

    try:
        check_zip(data, kind, Limits.from_env())
    except EduplanError as error:
        raise AttachmentError(f"附件“{shown}”被拒绝：{error}") from None


def base_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def safe_filename(name: str | None) -> str:
    """The last path component, without control or format characters (no bidi tricks), path or
    shell punctuation, or leading dots; Chinese and other letters kept; at most 120 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = _UNSAFE_CHARS.sub("_", name)
    name = _SPACES.sub(" ", name).strip().lstrip(".").strip().rstrip(". ")
    if not name:
        return FALLBACK_NAME
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME_CHARS - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME_CHARS]
    return name


def _with_extension(name: str, content_type: str) -> str:
    """The name, with the sniffed type's extension added when its own does not match."""
    keep, default = ALLOWED[base_type(content_type)]
    if name.lower().endswith(keep):
        return name
    if name == FALLBACK_NAME:
        return name + default
    return name[: MAX_NAME_CHARS - len(default)] + default


def check_attachment(filename: str | None, data: bytes, limit: int | None = None) -> CheckedFile:
    """The file as it will be stored, or :class:`AttachmentError` with a Chinese message."""
    limit = limit or max_attachment_bytes()
    shown = safe_filename(filename)
    if len(data) > limit:
        raise AttachmentError(f"附件“{shown}”太大（超过 {human_size(limit)}），请压缩或拆分后再上传")
    if not data:
        raise AttachmentError(f"附件“{shown}”是空文件")
    content_type = sniff_type(data)
    if content_type is None:
        raise AttachmentError(f"附件“{shown}”的类型不允许：只接受{ALLOWED_LABEL}")
    if content_type in (DOCX, XLSX):
        _check_archive(shown, data, "docx" if content_type == DOCX else "xlsx")
    return CheckedFile(
        filename=_with_extension(shown, content_type),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the real name as RFC 5987 UTF-8."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\;' else "_" for ch in filename)
    return f"attachment; filename=\"{fallback or 'file'}\"; filename*=UTF-8''{quote(filename, safe='')}"


async def parsed_form(request: Request) -> AsyncIterator[FormData]:
    """A route dependency: the request's form (read once; the CSRF check reads the same one),
    its temporary upload files closed when the response has been sent. A body the multipart parser
    refuses (a header past its size limit, a broken boundary) is a 400 in Chinese, not Starlette's
    English one."""
    try:
        form = await request.form()
    except StarletteHTTPException:
        from eduplan.web.csrf import FORM_REFUSED

        raise HTTPException(400, FORM_REFUSED) from None
    try:
        yield form
    finally:
        await form.close()


def read_limited(upload: UploadFile, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of an uploaded file: one more than allowed tells it is too big."""
    upload.file.seek(0)
    return upload.file.read(limit + 1)


def uploaded_files(form: FormData, field: str) -> list[UploadFile]:
    """The files sent under ``field``; the empty part a browser sends for no file is left out."""
    return [f for f in form.getlist(field) if isinstance(f, UploadFile) and (f.filename or f.size)]


def checked_files(form: FormData, field: str = "files") -> list[CheckedFile]:
    """The files sent under ``field``, each read up to the limit and checked as it will be
    stored (:func:`check_attachment`)."""
    limit = max_attachment_bytes()
    return [check_attachment(f.filename, read_limited(f, limit), limit) for f in uploaded_files(form, field)]


def check_file_count(files: Sequence[CheckedFile], noun: str = "附件") -> None:
    """At most ``MAX_FILES_PER_REPORT`` files at once (report, 销号, a target's evidence)."""
    if len(files) > MAX_FILES_PER_REPORT:
        raise AttachmentError(f"一次最多上传 {MAX_FILES_PER_REPORT} 个{noun}")


def file_response(filename: str, content_type: str, content: bytes) -> Response:
    """A stored file sent back as a download: never shown inline, never sniffed, never cached."""
    return Response(
        content=content,
        media_type=content_type,
        headers={
            "Content-Disposition": content_disposition(filename),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )
