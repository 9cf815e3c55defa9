"""A document's bytes to a Plan: the reader and the parser, or a plan JSON read back as it is."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from eduplan.errors import ReadError
from eduplan.plan import SCHEMA, Plan
from eduplan.settings import Limits

DOCUMENT_SUFFIXES = (".txt", ".md", ".htm", ".html", ".docx", ".xlsx", ".xls", ".pdf", ".doc", ".wps", ".et")
"""The document files eduplan reads (see ``eduplan.read``; .doc, .wps and .et need LibreOffice);
a folder given to a command is searched for these, and the web import page accepts them."""
PLAN_JSON_SUFFIXES = (".json",)
"""Plan JSON (``eduplan export --format json``), which ``eduplan import`` also takes."""
GOLD_SUFFIX = ".gold.json"

_JSON_SNIFF = 4096
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(value):
    """Control characters out of every string of a plan JSON, as the reader drops them from
    documents (PostgreSQL text cannot even hold U+0000)."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def find_documents(folder: Path, suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES) -> list[Path]:
    """Files under ``folder`` (recursively, sorted) ending in ``suffixes``; gold answers skipped."""
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name.lower().endswith(suffixes) and not p.name.lower().endswith(GOLD_SUFFIX)
    ]


def is_plan_json(data: bytes) -> bool:
    """True for an ``eduplan.plan/1`` JSON document (what ``eduplan export --format json`` writes)."""
    head = data[:_JSON_SNIFF].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and SCHEMA.encode() in head


def plan_from_bytes(data: bytes, name: str, year: int | None = None, limits: Limits | None = None) -> Plan:
    """Understand a document given as bytes; a plan JSON is taken as it is (its source kept)."""
    if is_plan_json(data):
        limit = (limits or Limits.from_env()).max_file_bytes
        if len(data) > limit:
            from eduplan.read.sizes import file_too_big

            raise file_too_big(len(data), limit)
        try:
            plan = Plan.from_json(_clean(json.loads(data.decode("utf-8-sig"))))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ReadError(f"{name} 不是有效的 JSON：{exc}") from None
        except RecursionError:
            raise ReadError(f"{name} 不是有效的计划 JSON：嵌套层数太多。") from None
        except ValueError as exc:
            raise ReadError(f"{name}：{exc}") from None
        # The ledger keys versions on the bytes it stores: the JSON file's own hash.
        # The stored bytes are this JSON file: name, format and hash describe it; the document
        # it was read from stays on record as ``read_from``.
        original = {k: v for k, v in plan.source.items() if k in ("name", "sha256", "format")}
        plan.source = {
            "name": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "format": "json",
            "encoding": "utf-8",
            **({"read_from": original} if original else {}),
        }
        return plan
    from eduplan.read import read_bytes
    from eduplan.understand import understand

    return understand(read_bytes(data, name, limits=limits), year=year)
