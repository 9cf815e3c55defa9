"""The plan contract (schema eduplan.plan/1): what ``eduplan parse`` prints, see docs/plan-json.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SCHEMA = "eduplan.plan/1"
KINDS = ("calendar", "plan", "summary", "compilation")
OPS = (">=", "<=", "=", "~", "<", ">")


@dataclass
class Item:
    title: str
    text: str
    start: date | None
    end: date | None
    departments: list[str] = field(default_factory=list)
    section: str | None = None
    line: int = 0
    confidence: float = 1.0

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "text": self.text,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "departments": list(self.departments),
            "section": self.section,
            "source": {"line": self.line},
            "confidence": round(self.confidence, 2),
        }


@dataclass
class Target:
    indicator: str
    text: str
    op: str
    value: float
    unit: str | None
    deadline: date | None = None
    line: int = 0

    def to_json(self) -> dict:
        value = int(self.value) if float(self.value).is_integer() else self.value
        return {
            "indicator": self.indicator,
            "text": self.text,
            "op": self.op,
            "value": value,
            "unit": self.unit,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "source": {"line": self.line},
        }


@dataclass
class Plan:
    source: dict
    kind: str = "plan"
    title: str | None = None
    issuer: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    items: list[Item] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "schema": SCHEMA,
            "source": self.source,
            "kind": self.kind,
            "title": self.title,
            "issuer": self.issuer,
            "period": {
                "start": self.period_start.isoformat() if self.period_start else None,
                "end": self.period_end.isoformat() if self.period_end else None,
            },
            "items": [i.to_json() for i in self.items],
            "targets": [t.to_json() for t in self.targets],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        """The inverse of :meth:`to_json` (an ``eduplan export --format json`` file read back).

        Raises ``ValueError`` with a Chinese message when the object is not this contract."""
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ValueError(f"不是 eduplan 计划 JSON（schema 应为 {SCHEMA}）")
        try:
            period = data.get("period") or {}
            return cls(
                source=dict(data.get("source") or {}),
                kind=data.get("kind") if data.get("kind") in KINDS else "plan",
                title=data.get("title"),
                issuer=data.get("issuer"),
                period_start=_date(period.get("start")),
                period_end=_date(period.get("end")),
                items=[_item_from_json(i) for i in data.get("items") or []],
                targets=[_target_from_json(t) for t in data.get("targets") or []],
                warnings=[str(w) for w in data.get("warnings") or []],
            )
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise ValueError(f"计划 JSON 的内容不完整或格式不对：{exc}") from None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _item_from_json(data: dict) -> Item:
    return Item(
        title=str(data.get("title") or data.get("text") or ""),
        text=str(data.get("text") or data.get("title") or ""),
        start=_date(data.get("start")),
        end=_date(data.get("end")),
        departments=[str(d) for d in data.get("departments") or []],
        section=data.get("section"),
        line=int((data.get("source") or {}).get("line") or 0),
        confidence=float(data.get("confidence", 1.0)),
    )


def _target_from_json(data: dict) -> Target:
    op = data.get("op")
    if op not in OPS:
        raise ValueError(f"指标比较符 {op!r} 无效")
    return Target(
        indicator=str(data["indicator"]),
        text=str(data.get("text") or data["indicator"]),
        op=op,
        value=float(data["value"]),
        unit=data.get("unit"),
        deadline=_date(data.get("deadline")),
        line=int((data.get("source") or {}).get("line") or 0),
    )
