"""Zip-bomb and corruption guard for .docx/.xlsx, run before a library opens the zip.

Only the central directory is read. ``zipfile`` never yields more than a member's
declared size, so bounding the declared sizes bounds what the libraries unpack.
"""

from __future__ import annotations

import io
import zipfile

from eduplan.errors import LimitError, ReadError
from eduplan.read.sizes import human_size
from eduplan.settings import Limits

MAX_MEMBERS = 10_000
"""More members than any real Word or Excel file has."""
RATIO_CHECK_FROM = 1024 * 1024
"""Members smaller than this (uncompressed) may compress as well as they like."""

KIND_LABELS = {"docx": "Word", "xlsx": "Excel"}


def corrupt_message(kind: str) -> str:
    return f"无法读取 {KIND_LABELS.get(kind, kind)} 文件：文件已损坏或不完整。"


def check_zip(data: bytes, kind: str, limits: Limits) -> None:
    """Raise ``ReadError`` for a broken zip and ``LimitError`` for one that unpacks too big."""
    label = KIND_LABELS.get(kind, kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ReadError(corrupt_message(kind)) from error
    if len(members) > MAX_MEMBERS:
        raise LimitError(
            f"{label} 文件内部包含 {len(members)} 个部件，数量异常，可能是恶意文件，已拒绝读取。"
        )
    total = 0
    for member in members:
        size = member.file_size
        total += size
        if size > RATIO_CHECK_FROM:
            packed = max(member.compress_size, 1)
            ratio = size / packed
            if ratio > limits.max_compression_ratio:
                raise LimitError(
                    f"{label} 文件中的 {member.filename} 压缩比异常（{ratio:.0f} 倍，上限 "
                    f"{limits.max_compression_ratio} 倍），可能是压缩炸弹，已拒绝读取；"
                    "可用环境变量 EDUPLAN_MAX_COMPRESSION_RATIO 调整。"
                )
    if total > limits.max_unpacked_bytes:
        raise LimitError(
            f"{label} 文件解压后太大（{human_size(total)}），"
            f"超过上限 {human_size(limits.max_unpacked_bytes)}；"
            "可用环境变量 EDUPLAN_MAX_UNPACKED_BYTES 调整。"
        )
