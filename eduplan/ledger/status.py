"""Item status: stored as open/in_progress/done/cancelled; overdue derived on every read."""

from __future__ import annotations

from datetime import date

STATUS_LABELS = {"open": "未开始", "in_progress": "进行中", "done": "已完成", "cancelled": "已取消"}
OVERDUE_LABEL = "已逾期"
LABEL_TO_STATUS = {label: status for status, label in STATUS_LABELS.items()}
ACTIVE = ("open", "in_progress")


def is_overdue(status: str, end: date | None, today: date) -> bool:
    """Past its last day and neither done nor cancelled."""
    return end is not None and end < today and status in ACTIVE


def status_label(status: str, end: date | None, today: date) -> str:
    """未开始/进行中/已完成/已取消, or 已逾期 when overdue."""
    if is_overdue(status, end, today):
        return OVERDUE_LABEL
    return STATUS_LABELS.get(status, status)
