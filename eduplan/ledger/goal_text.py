"""A target's goal as people read it: ``≥ 88.4%``, ``10个``, ``约 5万元`` (pages) or ``≥88.4%``
(documents and workbooks). One table of signs for the 目标 and 督办 pages, the half-year summary
and the year-over-year comparison."""

from __future__ import annotations

OP_SIGNS = {">=": "≥", "<=": "≤", "=": "", "~": "约", "<": "<", ">": ">"}


def number_text(value: float) -> str:
    """88.4 → ``88.4``, 10.0 → ``10``, 6000.0 → ``6000``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def goal_text(op: str, value: float, unit: str | None, sep: str = " ") -> str:
    """The comparison, the value and the unit as written; ``sep`` between sign and amount."""
    sign = OP_SIGNS.get(op, op)
    amount = f"{number_text(value)}{unit or ''}"
    return f"{sign}{sep}{amount}" if sign else amount
