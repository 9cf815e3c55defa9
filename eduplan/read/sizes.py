"""Size limits as people read them, and a running budget of extracted characters."""

from __future__ import annotations

from eduplan.errors import LimitError

_MB = 1024 * 1024


def human_size(n: int) -> str:
    """52.4 MB, 20 MB, 3.5 KB, 120 字节."""
    if n >= _MB:
        value = n / _MB
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    if n >= 1024:
        value = n / 1024
        return f"{value:.0f} KB" if value == int(value) else f"{value:.1f} KB"
    return f"{n} 字节"


def file_too_big(size: int, limit: int) -> LimitError:
    return LimitError(
        f"文件太大（{human_size(size)}），超过上限 {human_size(limit)}；"
        "可用环境变量 EDUPLAN_MAX_FILE_BYTES 调整。"
    )


def text_too_long(count: int, limit: int) -> LimitError:
    return LimitError(
        f"文件中的文字太多（至少 {count} 个字符，上限 {limit} 个）；"
        "可用环境变量 EDUPLAN_MAX_TEXT_CHARS 调整。"
    )


class TextBudget:
    """Counts characters handed out by a reader and stops it at ``max_text_chars``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def take(self, text: str) -> str:
        self.used += len(text) + 1
        if self.used > self.limit:
            raise text_too_long(self.used, self.limit)
        return text
