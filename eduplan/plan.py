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
