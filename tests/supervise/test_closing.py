"""销号, reopening and 督办 in the ledger (``progress.close``/``reopen``, ``supervision``), on
SQLite and PostgreSQL: what is stored, what is refused, and what the history keeps."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from eduplan.demo.supervision import seed_closing_demo
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import (
    Attachment,
    AuditEntry,
    Base,
    Item,
    Notification,
    Organisation,
    ProgressReport,
    Supervision,
)
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.ledger.status import is_overdue, status_label
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan
from eduplan.supervise import progress, supervision

D = date
BUREAU = "甲县教育局"
OTHER = "乙县教育局"
ITEMS = [
    ("开学工作检查", D(2024, 9, 2), D(2024, 9, 6), ["基教股", "各学校"]),
    ("教研活动周", D(2024, 9, 9), D(2024, 9, 13), ["教研室"]),
    ("城关中学开放日", D(2024, 9, 12), D(2024, 9, 12), ["城关中学"]),
    ("期中质量检测准备", D(2024, 9, 2), D(2024, 9, 4), ["教研室"]),
    ("校车安全检查", D(2024, 9, 3), D(2024, 9, 3), ["基教股"]),
]
TODAY = D(2024, 9, 10)
DEADLINE = D(2024, 9, 20)
EVIDENCE = progress.NewAttachment("检查记录.txt", "text/plain; charset=utf-8", 6, "0" * 64, b"record")


@pytest.fixture
def ledger(sessions):
    plan = ParsedPlan(
        source={"name": "安排.txt", "format": "txt"},
        kind="plan",
        title="甲县教育局九月工作安排",
        issuer=BUREAU,
        items=[PlanItem(t, t, s, e, u, None, n) for n, (t, s, e, u) in enumerate(ITEMS, start=1)],
    )
    other = ParsedPlan(
        source={"name": "乙县.txt", "format": "txt"},
        kind="plan",
        title="乙县教育局九月工作安排",
        issuer=OTHER,
        items=[PlanItem("乙县开学检查", "乙县开学检查", D(2024, 9, 3), D(2024, 9, 3), ["基教股"])],
    )
    with sessions.begin() as session:
        import_plan(session, plan, b"plan", bureau=BUREAU)
        import_plan(session, other, b"other", bureau=OTHER)
        bureau = get_or_create_bureau(session, BUREAU, "test")
        # Two schools of the bureau stand behind 各学校; one is merged away and gets nothing.
        for name, merged in (("第二中学", False), ("旧城关中学", True)):
            session.add(
                Organisation(
                    bureau_id=bureau.id, parent_id=bureau.id, kind="school", name=name, norm=name,
                    merged_into_id=bureau.id if merged else None, created_at=supervision.now(),
                )
            )  # fmt: skip
    return sessions


def item(session, title: str) -> Item:
    return session.scalars(select(Item).where(Item.title == title)).one()


def org_id(session, name: str, bureau: str = BUREAU) -> int:
    bureau_id = get_or_create_bureau(session, bureau, "test").id
    return session.scalars(
        select(Organisation.id).where(Organisation.name == name, Organisation.bureau_id == bureau_id)
    ).one()


def close(session, row: Item, text: str = "已完成全部检查，见记录。", **kwargs) -> ProgressReport:
    return progress.close(
        session, row, text=text, author="基教股", actor="jijiao", org_id=None, org_name="基教股", **kwargs
    )


def reopen(session, row: Item, reason: str = "复查发现两所学校未整改", **kwargs) -> ProgressReport:
    return progress.reopen(
        session, row, reason=reason, author="局办公室", actor="admin", org_id=None, org_name=None, **kwargs
    )


def audit_actions(session, entity: str, entity_id: int) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.id)
        )
    )


# ------------------------------------------------------------------------------ overdue is derived


def test_no_table_stores_an_overdue_flag():
    columns = [f"{t.name}.{c.name}" for t in Base.metadata.tables.values() for c in t.columns]
    assert not [c for c in columns if "overdue" in c or "late" in c.split(".")[1]]


def test_overdue_follows_the_date_and_the_status_alone(ledger):
    with ledger.begin() as session:
        row = item(session, "开学工作检查")
        assert not is_overdue(row.status, row.end, D(2024, 9, 6))  # its last day
        assert status_label(row.status, row.end, D(2024, 9, 7)) == "已逾期"  # the day after
        close(session, row)
        assert status_label(row.status, row.end, D(2024, 9, 7)) == "已完成"


# ------------------------------------------------------------------------------ 销号


def test_closing_stores_the_completion_report_and_who_closed_it(ledger):
    with ledger.begin() as session:
        row = item(session, "开学工作检查")
        report = close(session, row, attachments=[EVIDENCE])
        report_id, item_id = report.id, row.id
    with ledger() as session:
        row = session.get(Item, item_id)
        assert (row.status, row.revision, row.closed_by) == ("done", 2, "jijiao")
        assert row.closed_at is not None
        stored = session.get(ProgressReport, report_id)
        assert (stored.kind, stored.text, stored.percent) == ("completion", "已完成全部检查，见记录。", 100)
        files = session.scalars(select(Attachment).where(Attachment.report_id == report_id)).all()
        assert [(f.filename, f.content) for f in files] == [("检查记录.txt", b"record")]
        assert audit_actions(session, "item", item_id) == ["close"]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "close")).one()
        assert entry.before == {"status": "open", "revision": 1}
        assert entry.after == {"status": "done", "revision": 2, "closed_by": "jijiao", "report_id": report_id}
        assert audit_actions(session, "report", report_id) == ["create"]


def test_control_characters_are_dropped_from_reports_and_notes(ledger):
    """PostgreSQL text cannot hold U+0000; the reader drops control characters from documents."""
    with ledger.begin() as session:
        row = item(session, "教研活动周")
        report = close(session, row, text="完成\x00了\x07\n见附件\t。")
        sup = supervise(session, item(session, "开学工作检查"), note="限期\x00办结")
        report_id, sup_id = report.id, sup.id
    with ledger() as session:
        assert session.get(ProgressReport, report_id).text == "完成了\n见附件\t。"
        assert session.get(Supervision, sup_id).note == "限期办结"
    with ledger.begin() as session, pytest.raises(progress.StatusError, match="请填写重新打开的原因"):
        reopen(session, item(session, "教研活动周"), reason="\x00\x01")


@pytest.mark.parametrize("text", ["", "   \n "])
def test_closing_needs_the_completion_text(ledger, text):
    with ledger.begin() as session:
        row = item(session, "教研活动周")
        with pytest.raises(progress.StatusError, match="请填写完成情况"):
            close(session, row, text=text)
        assert row.status == "open"
    with ledger() as session:
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0


def test_a_closed_or_cancelled_item_cannot_be_closed(ledger):
    with ledger.begin() as session:
        done = item(session, "开学工作检查")
        close(session, done)
        with pytest.raises(progress.StatusError, match="已经销号"):
            close(session, done)
        cancelled = item(session, "教研活动周")
        progress.set_status(session, cancelled, "cancelled", "admin")
        with pytest.raises(progress.StatusError, match="已取消的工作不能销号"):
            close(session, cancelled)
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 1


def test_a_stale_close_is_a_conflict_and_stores_nothing(ledger):
    with ledger.begin() as session:
        row = item(session, "教研活动周")
        progress.set_status(session, row, "in_progress", "jiaoyan")  # revision 1 → 2
    with ledger.begin() as session:
        row = item(session, "教研活动周")
        with pytest.raises(progress.RevisionConflict) as caught:
            close(session, row, revision=1)
        assert str(caught.value) == "该任务已被他人修改（当前第2版），请刷新后再提交"
        assert caught.value.current == 2
        assert row.status == "in_progress"
        close(session, row, revision=2)  # the revision the editor saw is the current one
        assert (row.status, row.revision) == ("done", 3)


@pytest.mark.parametrize(("seen", "conflict"), [(None, False), (2, True), (3, False), (4, True), (99, True)])
def test_only_the_current_revision_passes_the_check(seen, conflict):
    # An older revision is a stale form; a newer one was never handed out (a client's bug, or
    # a form of an item deleted and made again): neither may overwrite. None means "not said".
    row = Item(revision=3)
    if conflict:
        with pytest.raises(progress.RevisionConflict) as caught:
            progress.check_revision(row, seen)
        assert caught.value.current == 3
    else:
        progress.check_revision(row, seen)


def test_a_close_with_a_newer_revision_than_the_items_is_a_conflict(ledger):
    with ledger.begin() as session:
        row = item(session, "教研活动周")
        assert row.revision == 1
        with pytest.raises(progress.RevisionConflict):
            close(session, row, revision=2)
        assert (row.status, row.revision) == ("open", 1)
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 0


def test_the_plain_status_change_refuses_done_and_leaving_done(ledger):
    with ledger.begin() as session:
        row = item(session, "教研活动周")
        with pytest.raises(progress.StatusError, match="须销号"):
            progress.set_status(session, row, "done", "admin")
        assert (row.status, row.revision) == ("open", 1)
        close(session, row)
        for status in ("open", "in_progress", "cancelled"):
            with pytest.raises(progress.StatusError, match="重新打开"):
                progress.set_status(session, row, status, "admin")
        assert row.status == "done"
        assert progress.set_status(session, row, "done", "admin") is False  # nothing to change


# ------------------------------------------------------------------------------ reopening


def test_reopening_records_the_reason_and_clears_the_closing(ledger):
    with ledger.begin() as session:
        row = item(session, "开学工作检查")
        close(session, row)
        closed_at = row.closed_at
        report = reopen(session, row, revision=2)
        item_id, report_id = row.id, report.id
    with ledger() as session:
        row = session.get(Item, item_id)
        assert (row.status, row.revision, row.closed_at, row.closed_by) == ("in_progress", 3, None, None)
        stored = session.get(ProgressReport, report_id)
        assert (stored.kind, stored.text, stored.author) == ("reopen", "复查发现两所学校未整改", "局办公室")
        assert audit_actions(session, "item", item_id) == ["close", "reopen"]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reopen")).one()
        assert entry.before["closed_by"] == "jijiao"
        assert entry.before["closed_at"] is not None and entry.before["closed_at"][:10] == str(closed_at)[:10]
        assert entry.after == {"status": "in_progress", "revision": 3, "report_id": report_id}
        kinds = session.scalars(
            select(ProgressReport.kind).where(ProgressReport.item_id == item_id).order_by(ProgressReport.id)
        ).all()
        assert kinds == ["completion", "reopen"]
        # The units responsible hear of it: 基教股 and the schools behind 各学校 (not a merged one).
        notified = session.execute(
            select(Organisation.name, Notification.kind)
            .join(Organisation, Organisation.id == Notification.org_id)
            .order_by(Organisation.name)
        ).all()
        assert sorted(notified) == sorted(
            [("基教股", "reopen"), ("城关中学", "reopen"), ("第二中学", "reopen")]
        )


def test_only_a_closed_item_can_be_reopened_and_a_reason_is_needed(ledger):
    with ledger.begin() as session:
        row = item(session, "教研活动周")
        with pytest.raises(progress.StatusError, match="只有已销号"):
            reopen(session, row)
        close(session, row)
        with pytest.raises(progress.StatusError, match="请填写重新打开的原因"):
            reopen(session, row, reason=" ")
        with pytest.raises(progress.RevisionConflict):
            reopen(session, row, revision=1)
        row.removed_in = 2  # dropped from the plan's next version: kept as it was
        with pytest.raises(progress.StatusError, match="已从计划中删除"):
            reopen(session, row)
        assert row.status == "done"
        dropped = item(session, "城关中学开放日")
        dropped.removed_in = 2
        with pytest.raises(progress.StatusError, match="已从计划中删除，不能销号"):
            close(session, dropped)
        assert dropped.status == "open"


# ------------------------------------------------------------------------------ 督办


def supervise(session, row: Item, deadline=DEADLINE, note="请加快进度，按期销号", **kwargs):
    return supervision.supervise(
        session, row, deadline=deadline, note=note, actor="admin", today=TODAY, **kwargs
    )


def test_supervising_stores_the_row_and_notifies_each_responsible_unit(ledger):
    with ledger.begin() as session:
        row = supervise(session, item(session, "开学工作检查"))
        sup_id = row.id
    with ledger() as session:
        stored = session.get(Supervision, sup_id)
        assert (stored.deadline, stored.note, stored.created_by, stored.lifted_at) == (
            D(2024, 9, 20),
            "请加快进度，按期销号",
            "admin",
            None,
        )
        rows = session.execute(
            select(Organisation.name, Notification.kind, Notification.title, Notification.body).join(
                Organisation, Organisation.id == Notification.org_id
            )
        ).all()
        # 基教股, and 各学校 stands for the bureau's live schools: 城关中学 and 第二中学.
        assert sorted(name for name, *_ in rows) == sorted(["基教股", "城关中学", "第二中学"])
        assert {(kind, title) for _, kind, title, _ in rows} == {("supervise", "【督办】开学工作检查")}
        assert rows[0][3] == "请于 2024-09-20 前办结并销号。督办要求：请加快进度，按期销号"
        assert audit_actions(session, "supervision", sup_id) == ["create"]


def test_a_new_supervision_replaces_the_active_one_and_the_history_keeps_both(ledger):
    with ledger.begin() as session:
        row = item(session, "教研活动周")
        first = supervise(session, row)
        second = supervise(session, row, deadline=D(2024, 9, 27), note="延期至月底")
        assert supervision.active_supervisions(session, item_ids=[row.id]) == {row.id: second}
        kept = supervision.history(session, row.id)
        assert [s.id for s in kept] == [first.id, second.id]
        assert (first.lifted_by, second.lifted_at) == ("admin", None)
        supervision.lift(session, row, "admin")
        assert supervision.active_supervisions(session, item_ids=[row.id]) == {}
        assert len(supervision.history(session, row.id)) == 2
        with pytest.raises(supervision.SupervisionError, match="没有督办"):
            supervision.lift(session, row, "admin")


def test_supervision_is_refused_for_closed_items_past_deadlines_and_without_a_note(ledger):
    with ledger.begin() as session:
        row = item(session, "教研活动周")
        with pytest.raises(supervision.SupervisionError, match="不能早于今天"):
            supervise(session, row, deadline=D(2024, 9, 9))
        with pytest.raises(supervision.SupervisionError, match="请填写督办期限"):
            supervise(session, row, deadline=None)
        with pytest.raises(supervision.SupervisionError, match="请填写督办要求"):
            supervise(session, row, note="  ")
        close(session, row)
        with pytest.raises(supervision.SupervisionError, match="不能督办"):
            supervise(session, row)
        assert session.scalar(select(func.count()).select_from(Supervision)) == 0
        assert session.scalar(select(func.count()).select_from(Notification)) == 0


def test_closing_lifts_the_supervision(ledger):
    with ledger.begin() as session:
        row = item(session, "开学工作检查")
        sup = supervise(session, row)
        close(session, row)
        assert (sup.lifted_by, sup.lifted_at is not None) == ("jijiao", True)
        assert supervision.active_supervisions(session) == {}
        assert audit_actions(session, "supervision", sup.id) == ["create", "lift"]


def test_active_supervisions_by_items_and_by_units(ledger):
    with ledger.begin() as session:
        check, week, open_day = (item(session, t) for t in ("开学工作检查", "教研活动周", "城关中学开放日"))
        foreign = item(session, "乙县开学检查")
        for row in (check, week, foreign):
            supervise(session, row)
        supervise(session, open_day)
        supervision.lift(session, open_day, "admin")
        everything = supervision.active_supervisions(session)
        assert set(everything) == {check.id, week.id, foreign.id}
        assert set(supervision.active_supervisions(session, item_ids=[week.id, open_day.id])) == {week.id}
        jijiao = org_id(session, "基教股")
        assert set(supervision.active_supervisions(session, org_ids=[jijiao])) == {check.id}
        assert set(supervision.active_supervisions(session, org_ids=[org_id(session, "基教股", OTHER)])) == {
            foreign.id
        }
        both = supervision.active_supervisions(session, item_ids=[week.id], org_ids=[jijiao])
        assert both == {}
        assert supervision.active_supervisions(session, org_ids=[]) == {}


def test_supervision_overdue_is_derived(ledger):
    with ledger.begin() as session:
        row = item(session, "教研活动周")
        sup = supervise(session, row, deadline=D(2024, 9, 12))
        assert supervision.supervision_label(sup, row.status, D(2024, 9, 12)) == "督办"
        assert supervision.supervision_label(sup, row.status, D(2024, 9, 13)) == "督办逾期"
        assert supervision.is_supervision_overdue(sup, "in_progress", D(2024, 9, 13))
        assert not supervision.is_supervision_overdue(sup, "done", D(2024, 9, 13))
        supervision.lift(session, row, "admin")
        assert supervision.supervision_label(sup, row.status, D(2024, 9, 13)) is None


# ------------------------------------------------------------------------------ demo data


def test_the_demo_closes_two_past_items_and_supervises_two_overdue_ones_once(ledger):
    today = D(2024, 9, 20)
    with ledger.begin() as session:
        bureau = get_or_create_bureau(session, BUREAU, "test")
        assert seed_closing_demo(session, bureau, today=today) == 4
    with ledger() as session:
        statuses = dict(session.execute(select(Item.title, Item.status)).all())
        # The most recently due items with an office: 教研活动周 (09-13), 开学工作检查 (09-06)
        # closed; 期中质量检测准备 (09-04) and 校车安全检查 (09-03) supervised; 城关中学开放日 has
        # no office and is left alone.
        assert {t for t, s in statuses.items() if s == "done"} == {"开学工作检查", "教研活动周"}
        kinds = session.scalars(select(ProgressReport.kind)).all()
        assert kinds == ["completion", "completion"]
        rows = {
            item.title: sup
            for sup, item in session.execute(
                select(Supervision, Item).join(Item, Item.id == Supervision.item_id)
            )
        }
        assert sorted(rows) == ["期中质量检测准备", "校车安全检查"]
        assert supervision.supervision_label(rows["期中质量检测准备"], "open", today) == "督办"
        assert supervision.supervision_label(rows["校车安全检查"], "open", today) == "督办逾期"
    with ledger.begin() as session:
        bureau = get_or_create_bureau(session, BUREAU, "test")
        assert seed_closing_demo(session, bureau, today=today) == 0
        assert session.scalar(select(func.count()).select_from(Supervision)) == 2


def test_progress_and_supervision_do_not_import_each_other():
    # progress uses supervision (closing lifts a 督办); supervision needs only the text cleaning
    # both share, from stored_text, so neither module needs the other half loaded first.
    import ast
    from pathlib import Path

    import eduplan.supervise

    folder = Path(eduplan.supervise.__file__).parent

    def imported(module: str) -> set[str]:
        tree = ast.parse((folder / f"{module}.py").read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
        return names

    assert "eduplan.supervise.supervision" in imported("progress")
    assert not any(n.startswith("eduplan.supervise.progress") for n in imported("supervision"))
