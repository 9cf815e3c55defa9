"""管理 pages: accounts, offices and schools, terms, holidays — administrators only, CSRF-checked,
audit-logged, refusals explained in Chinese."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from eduplan.ledger.accounts import create_user
from eduplan.ledger.holidays import holiday_calendar
from eduplan.ledger.importer import import_plan
from eduplan.ledger.models import AuditEntry, HolidayOverride, Item, ItemUnit, Organisation, Term, User
from eduplan.ledger.orgs import get_or_create_bureau
from eduplan.plan import Item as PlanItem
from eduplan.plan import Plan as ParsedPlan

PAGES = ("/admin", "/admin/users", "/admin/units", "/admin/terms", "/admin/holidays")


@pytest.fixture
def admin(login) -> TestClient:
    client = login("admin")
    client.csrf = _csrf(client)
    return client


def _csrf(client: TestClient) -> str:
    """The session's current CSRF token (signing in starts a new session, so a new token)."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert match
    return match.group(1)


def post(client: TestClient, path: str, **data):
    return client.post(path, data={"csrf_token": client.csrf, **data}, follow_redirects=False)


def notice(client: TestClient, response) -> str:
    """Follow the redirect after a change and return the one-line notice shown there."""
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"]).text
    match = re.search(r'<p class="flash" role="status">([^<]*)</p>', page)
    assert match, page
    return match.group(1)


def error_of(response) -> str:
    assert response.status_code == 400, response.text
    match = re.search(r'<p class="error" role="alert">([^<]*)</p>', response.text)
    assert match
    return match.group(1)


def org_id(db_sessions, name: str) -> int:
    with db_sessions() as session:
        return session.scalars(select(Organisation.id).where(Organisation.name == name)).one()


def user_id(db_sessions, username: str) -> int:
    with db_sessions() as session:
        return session.scalars(select(User.id).where(User.username == username)).one()


def sign_in(app, username: str, password: str):
    client = TestClient(app)
    token = _csrf(client)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    ), client


# ------------------------------------------------------------------------------ who may


@pytest.mark.parametrize("role", ["office", "office2", "school", "school2", "guest"])
def test_admin_pages_are_403_for_other_roles(login, role):
    client = login(role)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "只有管理员可以这样做" in response.text
    client.csrf = _csrf(client)
    for path, data in (
        ("/admin/units", {"name": "偷建股", "kind": "office"}),
        ("/admin/holidays", {"text": "2027-01-01 元旦 休"}),
    ):
        response = post(client, path, **data)
        assert response.status_code == 403
        assert "只有管理员可以这样做" in response.text


def test_admin_pages_send_anonymous_visitors_to_login(app):
    client = TestClient(app)
    for path in PAGES:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/login?next={path}"


def test_admin_sees_every_page(admin):
    for path in PAGES:
        response = admin.get(path)
        assert response.status_code == 200, path
        assert 'aria-current="page"' in response.text


def test_posts_without_the_csrf_token_are_refused(admin, db_sessions):
    response = admin.post("/admin/units", data={"name": "无令牌股", "kind": "office"})
    assert response.status_code == 403
    assert "CSRF" in response.text
    with db_sessions() as session:
        assert session.scalars(select(Organisation).where(Organisation.name == "无令牌股")).first() is None


# ------------------------------------------------------------------------------ accounts


def test_create_a_user_then_sign_in_as_them(app, admin, db_sessions):
    response = post(
        admin,
        "/admin/users",
        username="shixun",
        display_name="师训股王老师",
        password="shixun-2027",
        role="office",
        org_id=str(org_id(db_sessions, "师训股")),
    )
    assert notice(admin, response) == "已创建账号“shixun”"
    assert "师训股王老师" in admin.get("/admin/users").text
    signed_in, client = sign_in(app, "shixun", "shixun-2027")
    assert signed_in.status_code == 303
    me = client.get("/api/v1/me").json()
    assert (me["role"], me["org_name"], me["display_name"]) == ("office", "师训股", "师训股王老师")
    with db_sessions() as session:
        entry = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "user", AuditEntry.action == "create")
            .order_by(AuditEntry.id.desc())
        ).first()
    assert entry.actor == "admin"
    assert entry.after == {"username": "shixun", "role": "office", "org": "师训股"}


def test_a_guest_account_needs_no_unit_and_ignores_one(admin, db_sessions):
    response = post(
        admin,
        "/admin/users",
        username="visitor",
        password="visitor-2027",
        role="guest",
        org_id=str(org_id(db_sessions, "基教股")),
    )
    assert response.status_code == 303
    with db_sessions() as session:
        user = session.scalars(select(User).where(User.username == "visitor")).one()
    assert (user.role, user.org_id, user.display_name) == ("guest", None, "visitor")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "short", "password": "1234567", "role": "guest"}, "密码至少 8 位"),
        ({"username": "admin", "password": "long-enough-1", "role": "guest"}, "用户名“admin”已被使用"),
        ({"username": "x1", "password": "long-enough-1", "role": "office"}, "科室和学校账号必须选择所属单位"),
        ({"username": "x2", "password": "long-enough-1", "role": "root"}, "请选择角色"),
        (
            {"username": " ", "password": "long-enough-1", "role": "guest"},
            "用户名不能为空，且不超过 64 个字符",
        ),
    ],
)
def test_create_user_refusals_are_explained(admin, db_sessions, fields, message):
    response = post(admin, "/admin/users", **fields)
    assert error_of(response) == message
    assert f'value="{fields["username"]}"' in response.text  # the form keeps what was typed
    with db_sessions() as session:
        assert len(session.scalars(select(User)).all()) == 8  # the demo's accounts only, none added


def test_a_school_account_needs_a_school(admin, db_sessions):
    response = post(
        admin,
        "/admin/users",
        username="x3",
        password="long-enough-1",
        role="school",
        org_id=str(org_id(db_sessions, "基教股")),
    )
    assert error_of(response) == "“基教股”不是学校，请重新选择所属单位"


def _other_bureau(db_sessions) -> dict[str, int]:
    with db_sessions.begin() as session:
        bureau = get_or_create_bureau(session, "另一县教育局", "test")
        school = Organisation(
            bureau_id=bureau.id,
            parent_id=bureau.id,
            kind="school",
            name="外县中学",
            norm="外县中学",
            created_at=bureau.created_at,
        )
        session.add(school)
        session.flush()
        user = create_user(session, "waixian", "waixian-2026", "school", bureau=bureau, org=school)
        return {"school": school.id, "user": user.id}


def test_another_bureaus_users_and_units_are_404(admin, db_sessions):
    other = _other_bureau(db_sessions)
    assert post(admin, f"/admin/users/{other['user']}/deactivate").status_code == 404
    assert (
        post(admin, f"/admin/users/{other['user']}/password", password="x" * 10, confirm="x" * 10).status_code
        == 404
    )
    assert post(admin, f"/admin/units/{other['school']}/rename", name="改名").status_code == 404
    assert post(admin, f"/admin/units/{other['school']}/review").status_code == 404
    merged = post(
        admin,
        "/admin/units/merge",
        alias_id=str(other["school"]),
        into_id=str(org_id(db_sessions, "城关中学")),
    )
    assert merged.status_code == 404
    joined = post(
        admin,
        "/admin/users",
        username="spy",
        password="spy-2027-x",
        role="school",
        org_id=str(other["school"]),
    )
    assert joined.status_code == 404
    assert "waixian" not in admin.get("/admin/users").text
    assert "外县中学" not in admin.get("/admin/units").text
    with db_sessions() as session:
        assert session.get(User, other["user"]).active is True
        assert session.get(Organisation, other["school"]).name == "外县中学"


def test_deactivate_and_reactivate(app, admin, login, db_sessions):
    guest = login("guest")
    assert guest.get("/api/v1/me").status_code == 200
    response = post(admin, f"/admin/users/{user_id(db_sessions, 'guest')}/deactivate")
    assert notice(admin, response) == "已停用账号“guest”，并结束其 1 个登录会话"
    assert guest.get("/api/v1/me").status_code == 401  # the open session ends too
    refused, _ = sign_in(app, "guest", "guest-2026")
    assert refused.status_code == 400
    assert (
        notice(admin, post(admin, f"/admin/users/{user_id(db_sessions, 'guest')}/activate"))
        == "已启用账号“guest”"
    )
    allowed, _ = sign_in(app, "guest", "guest-2026")
    assert allowed.status_code == 303
    with db_sessions() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(
                AuditEntry.entity == "user", AuditEntry.entity_id == user_id(db_sessions, "guest")
            )
        ).all()
    assert [a for a in actions if a != "login"] == ["create", "deactivate", "activate"]


def test_an_admin_cannot_deactivate_themselves(admin, db_sessions):
    response = post(admin, f"/admin/users/{user_id(db_sessions, 'admin')}/deactivate")
    assert error_of(response) == "不能停用自己的账号"
    assert admin.get("/admin").status_code == 200


def test_reset_password(app, admin, db_sessions):
    school = user_id(db_sessions, "chengguan")
    mismatch = post(
        admin, f"/admin/users/{school}/password", password="new-pass-2027", confirm="new-pass-2028"
    )
    assert error_of(mismatch) == "两次输入的新密码不一致"
    assert (
        error_of(post(admin, f"/admin/users/{school}/password", password="short", confirm="short"))
        == "新密码至少 8 位"
    )
    done = post(admin, f"/admin/users/{school}/password", password="new-pass-2027", confirm="new-pass-2027")
    assert notice(admin, done) == (
        "已重设“chengguan”的密码，结束其 0 个登录会话，撤销其 0 个 API 令牌；"
        "请通知本人用新密码登录，对接程序需换用新令牌"
    )
    assert sign_in(app, "chengguan", "chengguan-2026")[0].status_code == 400
    assert sign_in(app, "chengguan", "new-pass-2027")[0].status_code == 303
    with db_sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reset_password")).one()
    assert "new-pass" not in str(entry.before) + str(entry.after)


# ------------------------------------------------------------------------------ offices and schools


def test_add_a_unit(admin, db_sessions):
    assert notice(admin, post(admin, "/admin/units", name=" 招考办 ", kind="office")) == "已添加科室“招考办”"
    with db_sessions() as session:
        org = session.scalars(select(Organisation).where(Organisation.name == "招考办")).one()
    assert (org.kind, org.needs_review) == ("office", False)
    assert (
        error_of(post(admin, "/admin/units", name="基教股", kind="office"))
        == "已有单位“基教股”与“基教股”同名"
    )
    assert error_of(post(admin, "/admin/units", name="  ", kind="office")) == "单位名称不能为空"
    assert (
        error_of(post(admin, "/admin/units", name="新学校", kind="campus"))
        == "请选择单位类型：科室、学校或学校集合"
    )


def test_rename_keeps_the_old_name_as_an_alias(admin, login, db_sessions):
    shixun = org_id(db_sessions, "师训股")
    done = post(admin, f"/admin/units/{shixun}/rename", name="教师发展中心", kind="office")
    assert notice(admin, done) == "已将“师训股”改为“教师发展中心”（科室）"
    units = {u["name"]: u for u in login("guest").get("/api/v1/units").json()}
    assert "师训股" not in units
    assert units["教师发展中心"]["aliases"] == ["师训股"]
    clash = post(admin, f"/admin/units/{shixun}/rename", name="基教股", kind="office")
    assert error_of(clash) == "已有单位“基教股”叫这个名字；如是同一单位，请用“合并”"


def _import_with_alias(db_sessions) -> int:
    """A plan naming 基础教育股 (new to the ledger, so created needing review); its item id."""
    plan = ParsedPlan(
        source={"name": "alias.txt", "format": "txt"},
        title="示例县教育局督导工作安排",
        issuer="示例县教育局",
        items=[
            PlanItem(
                "控辍保学督查", "控辍保学督查", date(2024, 10, 8), date(2024, 10, 8), ["基础教育股", "督导室"]
            )
        ],
    )
    with db_sessions.begin() as session:
        plan_id = import_plan(session, plan, b"alias plan", bureau="示例县教育局", actor="test").plan_id
        return session.scalars(select(Item.id).where(Item.plan_id == plan_id)).one()


def test_merge_an_alias_into_a_unit(app, admin, login, db_sessions):
    item_id = _import_with_alias(db_sessions)
    alias = org_id(db_sessions, "基础教育股")
    with db_sessions.begin() as session:
        bureau = session.get(Organisation, session.get(Organisation, alias).bureau_id)
        create_user(
            session, "jcjy", "jcjy-2027-x", "office", bureau=bureau, org=session.get(Organisation, alias)
        )
    page = admin.get("/admin/units").text
    assert "1 个单位待核对" in page
    done = post(admin, "/admin/units/merge", alias_id=str(alias), into_id=str(org_id(db_sessions, "基教股")))
    assert notice(admin, done) == "已将“基础教育股”合并到“基教股”，1 个账号随之转入"
    with db_sessions() as session:
        units = session.scalars(
            select(Organisation.name)
            .join(ItemUnit, ItemUnit.org_id == Organisation.id)
            .where(ItemUnit.item_id == item_id)
            .order_by(ItemUnit.position)
        ).all()
        moved = session.scalars(select(User).where(User.username == "jcjy")).one()
        assert session.get(Organisation, moved.org_id).name == "基教股"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "merge")).one()
    assert units == ["基教股", "督导室"]
    assert entry.actor == "admin"
    # The merged name is gone from the unit lists, kept as an alias, and the office sees the item.
    listed = {u["name"]: u for u in login("office").get("/api/v1/units").json()}
    assert "基础教育股" not in listed
    assert listed["基教股"]["aliases"] == ["基础教育股"]
    item = login("office").get(f"/api/v1/items/{item_id}").json()
    assert item["can_edit"] is True
    assert "待核对" not in admin.get("/admin/units").text


def test_merge_refusals(admin, db_sessions):
    jijiao = str(org_id(db_sessions, "基教股"))
    assert (
        error_of(post(admin, "/admin/units/merge", alias_id=jijiao, into_id=jijiao))
        == "不能把单位合并到它自己"
    )
    assert (
        error_of(post(admin, "/admin/units/merge", alias_id="", into_id=jijiao))
        == "请选择要合并的单位和合并到的单位"
    )
    group = str(org_id(db_sessions, "各学校"))
    assert error_of(
        post(admin, "/admin/units/merge", alias_id=group, into_id=str(org_id(db_sessions, "城关中学")))
    ) == ("学校集合（如“各学校”）不能与单个科室或学校合并")


def test_mark_a_unit_reviewed(admin, db_sessions):
    _import_with_alias(db_sessions)
    alias = org_id(db_sessions, "基础教育股")
    assert notice(admin, post(admin, f"/admin/units/{alias}/review")) == "已核对“基础教育股”"
    with db_sessions() as session:
        assert session.get(Organisation, alias).needs_review is False
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.action == "review")).one().entity_id == alias
        )
    assert "待核对" not in admin.get("/admin/units").text


# ------------------------------------------------------------------------------ terms


def test_add_a_term_and_see_its_weeks(admin, db_sessions):
    response = post(
        admin,
        "/admin/terms",
        name="2026—2027学年第二学期",
        start="2027-02-15",
        end="2027-07-10",
        week1_start="2027-02-22",
        prep_week="1",
    )
    assert notice(admin, response) == "已添加学期“2026—2027学年第二学期”，共 20 周，另有预备周"
    page = admin.get("/admin/terms").text
    assert "2027-02-15 至 2027-07-10，第一周从 2027-02-22（周一）开始，共 20 周，另有预备周。" in page
    assert "<tr><td>预备周</td><td>2027-02-15</td><td>2027-02-21</td></tr>" in page
    assert "<tr><td>第一周</td><td>2027-02-22</td><td>2027-02-28</td></tr>" in page
    assert "<tr><td>第二十周</td><td>2027-07-05</td><td>2027-07-11</td></tr>" in page
    with db_sessions() as session:
        term = session.scalars(select(Term)).one()
        weeks = [(w.number, w.start, w.end) for w in term.weeks]
        assert (term.number, term.prep_week) == (2, True)
        assert (
            session.scalars(select(AuditEntry).where(AuditEntry.entity == "term")).one().after["weeks"] == 21
        )
    assert len(weeks) == 21
    assert weeks[0] == (0, date(2027, 2, 15), date(2027, 2, 21))
    assert weeks[-1] == (20, date(2027, 7, 5), date(2027, 7, 11))


def test_a_term_without_a_name_is_named_by_its_school_year(admin, db_sessions):
    response = post(admin, "/admin/terms", start="2026-09-01", end="2027-01-22", week1_start="2026-08-31")
    assert error_of(response) == "第一周开始日期应在学期之内"
    response = post(admin, "/admin/terms", start="2026-08-31", end="2027-01-22", week1_start="2026-08-31")
    assert notice(admin, response) == "已添加学期“2026—2027学年第一学期”，共 21 周"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start": "", "end": "2027-07-10", "week1_start": "2027-02-22"}, "请填写学期开始日期"),
        (
            {"start": "2027/02/15x", "end": "2027-07-10", "week1_start": "2027-02-22"},
            "学期开始日期“2027/02/15x”不是日期，应写成 2027-02-22 这样的格式",
        ),
        (
            {"start": "2027-07-10", "end": "2027-02-15", "week1_start": "2027-02-22"},
            "学期结束日期不能早于开始日期",
        ),
        (
            {"start": "2027-02-15", "end": "2027-07-10", "week1_start": "2027-02-16", "prep_week": "1"},
            "有预备周时，第一周应比学期开始日期至少晚 7 天（预备周在学期之内）",
        ),
        (
            {"start": "2027-02-15", "end": "2027-12-31", "week1_start": "2027-02-15"},
            "一个学期不超过 30 周，请检查日期",
        ),
    ],
)
def test_term_refusals(admin, db_sessions, fields, message):
    assert error_of(post(admin, "/admin/terms", name="t", **fields)) == message
    with db_sessions() as session:
        assert session.scalars(select(Term)).all() == []


def test_overlapping_terms_are_refused(admin):
    first = post(
        admin, "/admin/terms", name="春季", start="2027-02-15", end="2027-07-10", week1_start="2027-02-15"
    )
    assert first.status_code == 303
    again = post(
        admin, "/admin/terms", name="又一个", start="2027-07-01", end="2027-08-31", week1_start="2027-07-05"
    )
    assert error_of(again) == "与已有学期“春季”（2027-02-15 至 2027-07-10）时间重叠"


@pytest.mark.parametrize(
    ("start", "end", "week1", "clash"),
    [
        ("2027-07-10", "2027-08-31", "2027-07-12", True),  # begins on the last day of 春季
        ("2027-07-11", "2027-08-31", "2027-07-12", False),  # begins the day after
        ("2027-01-04", "2027-02-15", "2027-01-04", True),  # ends on the first day of 春季
        ("2027-01-04", "2027-02-14", "2027-01-04", False),  # ends the day before
    ],
)
def test_terms_sharing_one_day_overlap_and_adjacent_terms_do_not(
    admin, db_sessions, start, end, week1, clash
):
    first = post(
        admin, "/admin/terms", name="春季", start="2027-02-15", end="2027-07-10", week1_start="2027-02-15"
    )
    assert first.status_code == 303
    second = post(admin, "/admin/terms", name="相邻", start=start, end=end, week1_start=week1)
    if clash:
        assert error_of(second) == "与已有学期“春季”（2027-02-15 至 2027-07-10）时间重叠"
    else:
        assert second.status_code == 303, second.text
    with db_sessions() as session:
        assert sorted(session.scalars(select(Term.name))) == (["春季"] if clash else ["春季", "相邻"])


# ------------------------------------------------------------------------------ holidays


HOLIDAYS_2027 = """\
# 国务院办公厅关于2027年部分节假日安排的通知（示例）
2027-01-01 元旦 休
2027-02-06..2027-02-12 春节 休
2027-02-14 春节 班
"""


def test_paste_the_holidays_of_2027(admin, db_sessions, monkeypatch):
    monkeypatch.setattr("eduplan.web.views.admin.today", lambda: date(2026, 6, 1))
    assert "2027年的法定节假日安排尚未录入" in admin.get("/admin").text
    response = post(admin, "/admin/holidays", text=HOLIDAYS_2027)
    assert notice(admin, response) == "已保存 2027 年的 9 天：放假 8 天，调休上班 1 天"
    with db_sessions() as session:
        rows = [
            (r.day, r.off, r.name)
            for r in session.scalars(select(HolidayOverride).order_by(HolidayOverride.day))
        ]
        calendar = holiday_calendar(session)
        audited = session.scalars(select(AuditEntry).where(AuditEntry.entity == "holiday")).all()
    assert rows[0] == (date(2027, 1, 1), True, "元旦")
    assert rows[1:8] == [(date(2027, 2, d), True, "春节") for d in range(6, 13)]
    assert rows[8] == (date(2027, 2, 14), False, "春节")
    assert len(rows) == 9
    assert len(audited) == 9
    assert calendar.day(date(2027, 2, 14)).is_adjusted_workday  # a Sunday worked
    assert calendar.day(date(2027, 2, 8)).is_holiday
    page = admin.get("/admin/holidays").text
    assert "2027 年（已录入 9 天）" in page
    assert "<td>2027-02-14</td><td>周日</td><td>春节</td><td>班</td>" in page
    assert "尚未录入" not in admin.get("/admin").text


def test_holiday_refusals_keep_the_pasted_text(admin, db_sessions):
    bad = post(admin, "/admin/holidays", text="2027-01-01 元旦 休\n2027-13-01 春节 休")
    assert error_of(bad) == "第2行：日期“2027-13-01”不存在。"
    assert "2027-13-01 春节 休" in bad.text
    assert error_of(post(admin, "/admin/holidays", text="  \n")).startswith("请粘贴节假日安排")
    assert (
        error_of(post(admin, "/admin/holidays", text="# 只有注释\n"))
        == "没有读到任何日期（空行和 # 开头的注释会被忽略）"
    )
    with db_sessions() as session:
        assert session.scalars(select(HolidayOverride)).all() == []
