"""Demo data: a sample bureau with offices, schools, one user per role, and documents imported
into it — the sample documents written for it (``eduplan/demo/docs``), dated from today,
or a corpus folder (``eduplan demo``, ``make run``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.demo.docs import SampleDocument, sample_documents
from eduplan.demo.docs.progress import seed_sample_progress
from eduplan.demo.schools import seed_demo_schools, seed_distribution_demo
from eduplan.demo.summary import seed_summary_demo
from eduplan.demo.supervision import seed_closing_demo
from eduplan.documents import find_documents
from eduplan.ledger.accounts import create_user
from eduplan.ledger.clock import now
from eduplan.ledger.clock import today as clock_today
from eduplan.ledger.importer import ImportResult, read_and_import
from eduplan.ledger.models import Organisation, User
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.notify.preferences import seed_demo_preferences
from eduplan.supervise.actuals import seed_demo_actuals
from eduplan.text import normalize

DEMO_BUREAU = "示例县教育局"
DEMO_OFFICES = ("办公室", "基教股", "教研室", "师训股", "人事股", "安全股", "督导室")
DEMO_SCHOOLS = ("城关中学", "城关小学", "第二中学", "实验幼儿园", "实验小学")
# (username, password, role, organisation, display name): printed for the person trying it out.
DEMO_USERS = (
    ("admin", "admin-2026", "admin", None, "局办公室管理员"),
    ("jijiao", "jijiao-2026", "office", "基教股", "基教股"),
    ("jiaoyan", "jiaoyan-2026", "office", "教研室", "教研室"),
    ("chengguan", "chengguan-2026", "school", "城关中学", "城关中学"),
    ("dierzhong", "dierzhong-2026", "school", "第二中学", "第二中学"),
    ("chengguanxiao", "chengguanxiao-2026", "school", "城关小学", "城关小学"),
    ("shiyanxiao", "shiyanxiao-2026", "school", "实验小学", "实验小学"),
    ("guest", "guest-2026", "guest", None, "访客"),
)


@dataclass
class DemoInfo:
    bureau: str
    users: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    imports: list[ImportResult] = field(default_factory=list)
    created: bool = True


def _unit(session: Session, bureau: Organisation, name: str, kind: str) -> Organisation:
    found = session.scalars(
        select(Organisation).where(Organisation.bureau_id == bureau.id, Organisation.norm == normalize(name))
    ).first()
    if found is not None:
        found.kind, found.needs_review = kind, False
        return found
    org = Organisation(
        bureau_id=bureau.id, parent_id=bureau.id, kind=kind, name=name, norm=normalize(name), created_at=now()
    )
    session.add(org)
    session.flush()
    return org


def demo_documents(today: date | None = None) -> list[SampleDocument]:
    """The demo bureau's sample documents, dated from ``today`` (default: today in China)."""
    return sample_documents(DEMO_BUREAU, today or clock_today())


def seed_demo(
    session: Session, corpus: Path | None = None, samples: bool = False, today: date | None = None
) -> DemoInfo:
    """Create the demo bureau, its units and users, and import ``corpus`` into it, or with
    ``samples`` the sample documents dated from ``today``; idempotent: run again the same day,
    it changes nothing (users kept, the same files import as unchanged)."""
    bureau = get_or_create_bureau(session, DEMO_BUREAU, "演示数据")
    info = DemoInfo(DEMO_BUREAU)
    units = {name: _unit(session, bureau, name, "office") for name in DEMO_OFFICES}
    units |= {name: _unit(session, bureau, name, "school") for name in DEMO_SCHOOLS}
    _unit(session, bureau, "各学校", "group")
    seed_demo_schools(session, bureau)
    seed_demo_preferences(session, units)
    for username, password, role, org_name, display in DEMO_USERS:
        if session.scalars(select(User).where(User.username == username)).first() is None:
            create_user(
                session,
                username,
                password,
                role,
                bureau=bureau,
                org=units.get(org_name) if org_name else None,
                display_name=display,
                actor="演示数据",
            )
        else:
            info.created = False
        info.users.append((username, password, role, org_name))
    if corpus is not None and corpus.is_dir():
        for path in find_documents(corpus):
            info.imports.append(
                read_and_import(session, path.read_bytes(), path.name, bureau=DEMO_BUREAU, actor="演示数据")
            )
    names = []
    if samples:
        for document in demo_documents(today):
            info.imports.append(
                read_and_import(session, document.data, document.name, bureau=DEMO_BUREAU, actor="演示数据")
            )
            names.append(document.name)
    seed_demo_activity(session, names, today)
    session.flush()
    return info


def seed_demo_activity(session: Session, samples: Iterable[str] = (), today: date | None = None) -> None:
    """Work done on the imported documents (closings, reports, actuals …): run after the imports,
    here and by ``eduplan demo`` (which imports one document per transaction); idempotent.
    ``samples`` names the sample documents imported, whose past work is then done as of ``today``."""
    bureau = get_or_create_bureau(session, DEMO_BUREAU, "演示数据")
    seed_sample_progress(session, bureau, samples, today or clock_today())
    seed_summary_demo(session, bureau)
    seed_demo_actuals(session, bureau, today)
    seed_closing_demo(session, bureau, today)
    seed_distribution_demo(session, bureau, today)
