"""Corrections as their own layer (issue 14): replayed on a new reading of the same document,
conflicts listed, never silently undone — in the ledger and in ``eduplan import``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from eduplan.cli import app
from eduplan.errors import EduplanError
from eduplan.ledger import corrections, review
from eduplan.ledger.clock import now
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import Draft, Organisation, User
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.plan import Plan

BUREAU = "乙县教育局"
LINES = [
    "乙县教育局2024年秋季学期工作行事历",
    "周次\t日期\t工作内容\t责任科室",
    "第1周\t9月2日—9月6日\t开学工作检查。教师培训报名\t基教股",
    "第2周\t9月10日\t庆祝教师节表彰大会\t办公室",
    "第3周\t9月16日—9月20日\t教学常规检查\t教研室",
    "附：全年安全工作检查",
]
CALENDAR = ("\n".join(LINES) + "\n").encode()
REVISED = CALENDAR.replace("庆祝教师节表彰大会".encode(), "庆祝第40个教师节表彰大会".encode())
ENV = {"COLUMNS": "220", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "EDUPLAN_DEBUG": None}


def reading(session, data: bytes = CALENDAR) -> tuple[dict, list]:
    plan, lines = corrections.read_with_hints(session, None, data, "cal.txt", year=None)
    return review.prepare(plan, lines), lines


def titles(plan: dict) -> list[str]:
    return [i["title"] for i in plan["items"]]


def by_title(plan: dict, title: str) -> dict:
    return next(i for i in plan["items"] if i["title"] == title)


# ---------------------------------------------------------------- pure: the operations replayed


def test_the_same_reading_gets_the_same_ids(sessions):
    with sessions() as session:
        a, _ = reading(session)
        b, _ = reading(session)
    assert [review.rid_of(i) for i in a["items"]] == [review.rid_of(i) for i in b["items"]]
    assert len({review.rid_of(i) for i in a["items"]}) == 3


def test_every_operation_replays_on_the_same_document(sessions):
    with sessions() as session:
        plan, lines = reading(session)
        fresh, _ = reading(session)
    changes = []
    first = by_title(plan, "开学工作检查")
    changes += review.split_item(plan, review.rid_of(first), 7)
    changes += review.edit_item(
        plan, review.rid_of(by_title(plan, "教师培训报名")), {"departments": "师训股"}
    )
    changes += review.merge_next(plan, review.rid_of(by_title(plan, "庆祝教师节表彰大会")))
    changes += review.add_item(plan, [6], lines)
    changes += review.move_item(plan, review.rid_of(by_title(plan, "附")), -1)
    changes += review.edit_header(plan, {"issuer": "乙县教育体育局", "kind": "plan"})
    changes += review.add_target(plan, {"indicator": "培训覆盖率", "value": "95", "unit": "%"})
    changes += review.delete_item(plan, review.rid_of(by_title(plan, "开学工作检查")))
    outcome = review.replay(fresh, lines, changes)
    assert outcome.conflicts == []
    assert len(outcome.applied) == len(changes)
    strip = lambda p: [{k: v for k, v in i.items() if k != "review"} for i in p["items"]]  # noqa: E731
    assert strip(fresh) == strip(plan)
    assert titles(fresh) == ["教师培训报名", "附", "庆祝教师节表彰大会"]
    assert (fresh["issuer"], fresh["kind"], fresh["targets"][0]["value"]) == ("乙县教育体育局", "plan", 95)


def test_a_correction_whose_item_changed_in_the_source_is_a_conflict_and_not_applied(sessions):
    with sessions() as session:
        plan, _ = reading(session)
        revised, revised_lines = reading(session, REVISED)
    rid = review.rid_of(by_title(plan, "庆祝教师节表彰大会"))
    changes = review.edit_item(plan, rid, {"start": "2024-09-09", "end": "2024-09-09"})
    changes += review.edit_item(plan, review.rid_of(by_title(plan, "教学常规检查")), {"title": "常规检查"})
    outcome = review.replay(revised, revised_lines, changes)
    assert [c.field for c, _ in outcome.conflicts] == ["start", "end"]
    assert all(reason == review.GONE for _, reason in outcome.conflicts)
    assert [c.field for c in outcome.applied] == ["title"]
    assert by_title(revised, "庆祝第40个教师节表彰大会")["start"] == "2024-09-10"  # the reading stands
    assert "常规检查" in titles(revised)


def test_a_field_read_differently_now_is_a_conflict_with_both_values(sessions):
    with sessions() as session:
        plan, _ = reading(session)
        moved, moved_lines = reading(
            session, CALENDAR.replace("9月16日—9月20日".encode(), "9月23日—9月27日".encode())
        )
    changes = review.edit_item(plan, review.rid_of(by_title(plan, "教学常规检查")), {"start": "2024-09-17"})
    outcome = review.replay(moved, moved_lines, changes)
    assert len(outcome.conflicts) == 1
    assert outcome.conflicts[0][1] == "新版本读出的开始日期是“2024-09-23”，与当初更正前的“2024-09-16”不同"


def test_an_item_made_from_lines_comes_back_only_where_the_lines_are(sessions):
    with sessions() as session:
        plan, lines = reading(session)
        gone, gone_lines = reading(session, CALENDAR.replace("附：全年安全工作检查".encode(), b""))
    changes = review.add_item(plan, [6], lines)
    outcome = review.replay(gone, gone_lines, changes)
    assert outcome.conflicts[0][1] == "新版本里找不到当初用来新增这一项的原文行"


@pytest.mark.parametrize(
    ("work", "message"),
    [
        (lambda p, rid: review.split_item(p, rid, 0), "拆分位置要在原文中间"),
        (lambda p, rid: review.edit_item(p, rid, {"start": "9月1日"}), "不是有效日期"),
        (lambda p, rid: review.edit_item(p, rid, {"title": " "}), "标题不能为空"),
        (lambda p, rid: review.edit_header(p, {"kind": "novel"}), "类型只能是"),
        (lambda p, rid: review.add_target(p, {"indicator": "x", "value": "1", "op": "≈"}), "比较方式只能是"),
        (lambda p, rid: review.delete_item(p, "nope.0"), "找不到这个事项"),
    ],
)
def test_bad_edits_are_refused_in_chinese(sessions, work, message):
    with sessions() as session:
        plan, _ = reading(session)
    with pytest.raises(EduplanError, match=message):
        work(plan, review.rid_of(plan["items"][0]))


def test_the_title_of_a_part_is_its_first_clause_without_its_number():
    # Checked by hand: the list number and what follows the first comma are not the title.
    assert review.title_from("3. 组织教师培训报名，各校9月6日前上报") == "组织教师培训报名"
    assert review.title_from("（二）国庆安全检查") == "国庆安全检查"


# ---------------------------------------------------------------- eduplan import reports them


def _published_draft_with_corrections(session) -> None:
    """What the web review leaves: a published draft and its corrections."""
    bureau = get_or_create_bureau(session, BUREAU, "test")
    user = User(
        username="clerk",
        password_hash="x",
        display_name="办事员",
        role="admin",
        bureau_id=bureau.id,
        created_at=now(),
    )
    session.add(user)
    session.flush()
    plan, lines = reading(session)
    draft = Draft(
        user_id=user.id, bureau_id=bureau.id, source_name="cal.txt", content=CALENDAR, lines=lines, plan=plan,
        created_at=now(),
    )  # fmt: skip
    session.add(draft)
    session.flush()
    corrections.start_review(session, draft, "clerk")
    work = dict(draft.plan)
    changes = review.edit_item(
        work, review.rid_of(by_title(work, "庆祝教师节表彰大会")), {"start": "2024-09-09"}
    )
    changes += review.split_item(work, review.rid_of(by_title(work, "开学工作检查")), 7)
    corrections.set_plan(draft, work)
    corrections.record(session, draft, changes, "clerk")
    result = import_plan(session, Plan.from_json(draft.plan), CALENDAR, bureau=BUREAU, actor="clerk")
    draft.published_plan_id = result.plan_id


def test_eduplan_import_reports_reapplied_and_conflicting_corrections(tmp_path: Path, ledger_url, sessions):
    with sessions.begin() as session:
        _published_draft_with_corrections(session)
        assert session.query(Organisation).filter_by(name=BUREAU).count() == 1
    same = tmp_path / "cal.txt"
    same.write_bytes(CALENDAR.replace(b"\n\xe9\x99\x84", b"\n\n\xe9\x99\x84"))  # one blank line more
    result = CliRunner().invoke(app, ["import", str(same), "--db", ledger_url, "--bureau", BUREAU], env=ENV)
    assert result.exit_code == 0, result.stdout + result.stderr
    # Same document, another file: the split and the date re-applied, so nothing changed.
    assert "以前的更正：重新应用 2 条，冲突 0 条" in result.stderr
    assert "内容与第 1 版相同" in result.stderr

    revised = tmp_path / "cal-v2.txt"
    revised.write_bytes(REVISED)
    result = CliRunner().invoke(
        app, ["import", str(revised), "--db", ledger_url, "--bureau", BUREAU], env=ENV
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "以前的更正：重新应用 1 条，冲突 1 条" in result.stderr
    assert "冲突：事项开始日期：2024-09-10 → 2024-09-09：新版本里找不到这一项" in result.stderr


# ---------------------------------------------------------------- teaching, per bureau

HABIT = (
    "乙县教育局2025年春季学期工作行事历\n周次\t日期\t工作内容\t承办方\n"
    "第1周\t2月17日—2月21日\t开学工作检查\t基础教育股\n"
).encode()


def test_what_one_bureau_taught_is_used_for_its_documents_only(sessions):
    with sessions.begin() as session:
        ours = get_or_create_bureau(session, BUREAU, "test")
        theirs = get_or_create_bureau(session, "丙县教育局", "test")
        corrections.learn(session, ours.id, "header_role", "承办方", "units", "clerk")
        corrections.learn(session, ours.id, "unit_alias", "基础教育股", "基教股", "clerk")
        ours_id, theirs_id = ours.id, theirs.id
    with sessions() as session:
        plan, _ = corrections.read_with_hints(session, ours_id, HABIT, "habit.txt")
        other, _ = corrections.read_with_hints(session, theirs_id, HABIT, "habit.txt")
    assert [(i["title"], i["departments"]) for i in plan["items"]] == [("开学工作检查", ["基教股"])]
    # Untaught, 承办方 is no units column: the unit's cell is read as an item of its own.
    assert [i["title"] for i in other["items"]] == ["开学工作检查", "基础教育股"]


def test_a_hint_taught_again_replaces_the_earlier_one_and_bad_ones_are_refused(sessions):
    with sessions.begin() as session:
        bureau = get_or_create_bureau(session, BUREAU, "test")
        corrections.learn(session, bureau.id, "header_role", "承办方", "units", "clerk")
        corrections.learn(session, bureau.id, "header_role", "承 办 方", "co_units", "clerk")
        assert corrections.hints_for(session, bureau.id).header_roles == {"承办方": "co_units"}
        with pytest.raises(EduplanError, match="表头含义只能从列出的几种里选"):
            corrections.learn(session, bureau.id, "header_role", "承办方", "weekday:1", "clerk")
        with pytest.raises(EduplanError, match="不是有效日期"):
            corrections.learn(session, bureau.id, "week1", "week1", "二月十七", "clerk")
