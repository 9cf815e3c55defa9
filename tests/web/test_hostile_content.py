"""A document full of hostile text imports, and every page and export shows it as text: markup
escaped, entities not decoded into markup, spreadsheet formulas never formulas, iCalendar escaped
per RFC 5545, Word text literal, JSON valid. SQL in every search and filter parameter is only
text: no 5xx, and the tables are intact afterwards. Hostile upload names are sanitised."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from eduplan.ledger.db import connect, sessions
from eduplan.ledger.exporting import Selection, export_bytes
from eduplan.ledger.models import Draft, Item, Organisation, Plan, ProgressReport, Target, User

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TODAY = date(2024, 9, 11)

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
TITLE = "示例县教育局2024年秋季学期<script>alert(1)</script>工作行事历"
# Item titles as the reader will take them from the table's 工作内容 column.
ITEMS = {
    "script": "开学检查<script>alert(1)</script>",
    "entity": "教研&lt;b&gt;活动&amp;",
    "bidi": "安全演练\u202egnp.exe",
    "hyperlink": '=HYPERLINK("http://x","y")',
    "cmd": "+cmd|' /C calc'!A0",
    "sum": "@SUM(1)",
    "sql": "'; DROP TABLE items; --",
}
DOCUMENT = "\n".join(
    [
        TITLE,
        "周次\t日期\t工作内容\t责任科室",
        f"第1周\t9月2日—9月6日\t{ITEMS['script']}\t基教股",
        f"第2周\t9月9日\t{ITEMS['entity']}\t教研室",
        f"第2周\t9月10日\t{ITEMS['bidi']}\t办公室",
        f"第2周\t9月11日\t{ITEMS['hyperlink']}\t基教股",
        f"第2周\t9月12日\t{ITEMS['cmd']}\t城关中学",
        f"第2周\t9月13日\t{ITEMS['sum']}\t基教股",
        f"第3周\t9月16日\t{ITEMS['sql']}\t基教股",
        "第3周\t9月18日\t控制\x07字符\x1b[31m检查\t基教股",
        "全县<script>alert(2)</script>优秀率达到95%。",
        "",
    ]
).encode("utf-8")


def _signed_in(login, role: str):
    client = login(role)
    client.csrf = CSRF.search(client.get("/login").text).group(1)
    return client


def _db(seeded):
    return sessions(connect(seeded["url"]))


def _upload(client, name: str, data: bytes):
    return client.post(
        "/import",
        data={"csrf_token": client.csrf},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def _item(hostile, key: str) -> int:
    return next(i for text, i in hostile["items"].items() if ITEMS[key] in text)


def assert_escaped(html: str, *, expect_script: bool = True) -> None:
    """No live script from the document; where the document's script shows, it shows escaped."""
    assert "<script>alert" not in html
    assert "alert(1)</script>" not in html
    if expect_script:
        assert "&lt;script&gt;alert" in html


@pytest.fixture
def hostile(login, seeded, monkeypatch):
    """The hostile document uploaded, previewed and published; today is in its second week."""
    monkeypatch.setattr("eduplan.ledger.clock.today", lambda: TODAY)
    admin = _signed_in(login, "admin")
    response = _upload(admin, "<script>alert(1)</script>行事历.txt", DOCUMENT)
    assert response.status_code == 303, response.text[:500]
    draft_id = int(response.headers["location"].rsplit("/", 1)[1])
    preview = admin.get(f"/import/{draft_id}").text
    published = admin.post(f"/import/{draft_id}/publish", data={"csrf_token": admin.csrf})
    assert published.status_code == 200, published.text[:500]
    with _db(seeded)() as session:
        plan = session.scalars(select(Plan).where(Plan.title.contains("alert(1)"))).one()
        # Keyed by the item's text (its title is cut at the first bracket or comma).
        items = {i.text: i.id for i in session.scalars(select(Item).where(Item.plan_id == plan.id))}
        jijiao = session.scalars(select(Organisation).where(Organisation.name == "基教股")).one().id
    return {
        "admin": admin,
        "draft_id": draft_id,
        "preview": preview,
        "plan_id": plan.id,
        "items": items,
        "jijiao": jijiao,
    }


def test_the_document_imports_with_its_text_literal(hostile):
    texts = list(hostile["items"])
    for key in ("script", "entity", "hyperlink", "cmd", "sum", "sql"):
        assert any(ITEMS[key] in t for t in texts), (key, texts)
    # Control characters and bidi overrides are dropped by the reader; the rest of the cell is kept.
    assert any("控制字符[31m检查" in t for t in texts)
    assert any(t == "安全演练gnp.exe" for t in texts)
    assert not any("\u202e" in t for t in texts)


def test_import_preview_escapes_everything(hostile):
    page = hostile["preview"]
    assert_escaped(page)
    assert "教研&amp;lt;b&amp;gt;活动&amp;amp;" in page  # the entity text shows as typed, not as <b>
    assert "<b>活动" not in page
    # The upload's name is cut to what follows its last slash ("</script>" has one), markup gone.
    assert "核对导入：script_行事历.txt</h1>" in page


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/calendar",
        "/calendar/month?month=2024-09",
        "/targets",
        "/supervision",
        "/reports",
    ],
)
def test_listing_pages_escape_the_document(hostile, url):
    response = hostile["admin"].get(url)
    assert response.status_code == 200, (url, response.text[:300])
    assert_escaped(response.text, expect_script=url in ("/calendar", "/calendar/month?month=2024-09"))


def test_calendar_week_and_month_show_every_hostile_title_as_text(hostile):
    for url in ("/calendar", "/calendar/month?month=2024-09"):
        page = hostile["admin"].get(url).text
        # Titles stop at the first bracket: =HYPERLINK, @SUM; the SQL has none and shows whole.
        assert "=HYPERLINK" in page and "@SUM" in page and "+cmd|&#39; /C calc&#39;" in page
        assert "&#39;; DROP TABLE items; --" in page
        assert "教研&amp;lt" in page


def test_item_pages_escape_the_document(hostile):
    admin = hostile["admin"]
    for text, item_id in hostile["items"].items():
        page = admin.get(f"/items/{item_id}")
        assert page.status_code == 200
        assert_escaped(page.text, expect_script=ITEMS["script"] in text)


def test_unit_page_escapes_the_document(hostile):
    page = hostile["admin"].get(f"/units/{hostile['jijiao']}")
    assert page.status_code == 200
    assert_escaped(page.text)


def test_targets_page_escapes_the_indicator(hostile, seeded):
    with _db(seeded)() as session:
        indicators = list(
            session.scalars(select(Target.indicator).where(Target.plan_id == hostile["plan_id"]))
        )
    page = hostile["admin"].get("/targets").text
    assert "<script>alert(2)" not in page
    if any("alert(2)" in i for i in indicators):
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page


def test_progress_report_with_script_is_escaped(hostile):
    admin = hostile["admin"]
    item_id = _item(hostile, "sql")
    response = admin.post(
        f"/items/{item_id}/reports",
        data={"csrf_token": admin.csrf, "text": f"进展{SCRIPT}{ITEMS['hyperlink']}", "percent": "50"},
        follow_redirects=False,
    )
    assert response.status_code in (200, 303), response.text[:300]
    page = admin.get(f"/items/{item_id}").text
    assert_escaped(page)


def test_public_plan_page_escapes_the_document(hostile, app):
    from fastapi.testclient import TestClient

    admin = hostile["admin"]
    made_public = admin.post(
        f"/plans/{hostile['plan_id']}/publish-public", data={"csrf_token": admin.csrf}, follow_redirects=False
    )
    assert made_public.status_code in (200, 303)
    page = TestClient(app).get(f"/public/plans/{hostile['plan_id']}")
    assert page.status_code == 200
    assert_escaped(page.text)


def test_api_returns_the_text_as_json_strings(hostile):
    admin = hostile["admin"]
    response = admin.get("/api/v1/items", params={"plan": hostile["plan_id"]})
    assert response.status_code == 200
    body = json.loads(response.text)
    texts = {i["text"] for i in (body["items"] if isinstance(body, dict) else body)}
    assert ITEMS["script"] in texts and ITEMS["sql"] in texts and ITEMS["entity"] in texts
    assert response.headers["content-type"].startswith("application/json")


# ---------------------------------------------------------------- exports


@pytest.fixture
def exports(hostile, seeded):
    with _db(seeded)() as session:
        selection = Selection(plan_id=hostile["plan_id"])
        return {fmt: export_bytes(session, fmt, selection) for fmt in ("xlsx", "ics", "docx", "json")}


def test_excel_cells_are_never_formulas(exports):
    workbook = openpyxl.load_workbook(io.BytesIO(exports["xlsx"]))
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.data_type != "f", (cell.coordinate, cell.value)
                texts.append(str(cell.value))
    # The titles (cut at their first bracket) lead their cells, as typed, formula signs and all.
    for title in ("=HYPERLINK", "+cmd|' /C calc'", "@SUM", ITEMS["sql"]):
        assert title in texts, (title, texts)
    # Excel shows a text cell starting with = + - @ as text only when it is marked so.
    raw = exports["xlsx"]
    with __import__("zipfile").ZipFile(io.BytesIO(raw)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>" in s for s in sheets)


def _unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_ics_escapes_text_per_rfc_5545(exports):
    ics = exports["ics"].decode("utf-8")
    lines = _unfold(ics)
    summaries = [ln for ln in lines if ln.startswith("SUMMARY")]
    assert "SUMMARY:'\\; DROP TABLE items\\; --" in summaries  # ; escaped as \;
    assert "SUMMARY:=HYPERLINK" in summaries and "SUMMARY:开学检查<script>alert" in summaries
    descriptions = [ln for ln in lines if ln.startswith("DESCRIPTION")]
    assert any('=HYPERLINK("http://x"\\,"y")' in ln for ln in descriptions), descriptions  # , as \,
    # No raw control characters or bare newlines inside a content line.
    assert all(not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", ln) for ln in lines)
    assert ics.count("BEGIN:VEVENT") == ics.count("END:VEVENT") >= 7


def test_word_export_keeps_the_text_literal(exports):
    import docx

    document = docx.Document(io.BytesIO(exports["docx"]))
    text = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ) + "\n".join(p.text for p in document.paragraphs)
    # The month layout writes title：rest, so the title's cut shows as "："; the text is literal.
    assert "开学检查<script>alert：(1)</script>" in text
    assert '=HYPERLINK：("http://x","y")' in text
    assert "教研&lt：b&gt;活动&amp;" in text  # "&lt;" stays the four characters it was


def test_json_export_is_valid_and_literal(exports):
    plan = json.loads(exports["json"])
    texts = {i["text"] for i in plan["items"]}
    assert ITEMS["script"] in texts and ITEMS["entity"] in texts and "安全演练gnp.exe" in texts


# ---------------------------------------------------------------- SQL in every search and filter

SQL_STRINGS = [
    "'; DROP TABLE items; --",
    "99999999999999999999",  # past any integer column
    "-1",
    "1 OR 1=1",
    "1' OR '1'='1",
    "%' --",
    "1;SELECT pg_sleep(0)",
    "\\'\"",
]


def _table_counts(seeded) -> dict[str, int]:
    with _db(seeded)() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Plan, Item, Organisation, User, Target, ProgressReport, Draft)
        }


def _query_names(dependant) -> set[str]:
    """Query parameters of a route and of the dependencies it uses."""
    names = {p.name for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _page_query_params(app) -> list[tuple[str, list[str]]]:
    """GET page routes without path parameters, with the query parameters they declare."""
    try:
        from fastapi.routing import iter_route_contexts

        routes = [context.route for context in iter_route_contexts(app.routes)]
    except ImportError:  # older FastAPI: app.routes is flat
        routes = list(app.routes)
    out = []
    for route in routes:
        path = getattr(route, "path", "") or ""
        if "GET" not in (getattr(route, "methods", None) or ()) or "{" in path or path.startswith("/api/"):
            continue
        if not hasattr(route, "dependant"):
            continue
        names = sorted(_query_names(route.dependant))
        if names:
            out.append((path, names))
    return out


def test_sql_in_every_page_filter_is_harmless(hostile, seeded, app):
    before = _table_counts(seeded)
    admin = hostile["admin"]
    routes = _page_query_params(app)
    assert any(path == "/calendar" for path, _ in routes)  # the enumeration found the filters
    for path, names in routes:
        for name in names:
            for value in SQL_STRINGS:
                response = admin.get(path, params={name: value})
                assert response.status_code < 500, (path, name, value, response.status_code)
                assert "<script>alert" not in response.text
    assert _table_counts(seeded) == before


def _api_query_params(app) -> list[tuple[str, str, list[str]]]:
    spec = app.openapi()
    out = []
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        names = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
        if names:
            out.append((path, get.get("operationId", ""), names))
    return out


def test_sql_in_every_api_query_parameter_is_harmless(hostile, seeded, app):
    before = _table_counts(seeded)
    admin = hostile["admin"]
    routes = _api_query_params(app)
    assert any(path == "/api/v1/items" for path, _, _ in routes)
    for path, _, names in routes:
        concrete = re.sub(r"\{[^}]+\}", str(hostile["plan_id"]), path)
        for name in names:
            for value in SQL_STRINGS:
                response = admin.get(concrete, params={name: value})
                assert response.status_code < 500, (concrete, name, value, response.status_code)
                if response.headers.get("content-type", "").startswith("application/json"):
                    json.loads(response.text)
    assert _table_counts(seeded) == before


# ---------------------------------------------------------------- hostile upload names


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\x.docx", "x.docx"),
        ("\u202egnp.txt", "gnp.txt"),
        ("..", None),
        ("计" * 300 + ".txt", None),
    ],
)
def test_import_file_names_are_sanitised(login, seeded, name, stored):
    admin = _signed_in(login, "admin")
    text = "示例县教育局工作安排\n一、9月2日 开学工作检查（基教股）\n".encode()
    response = _upload(admin, name, text)
    assert response.status_code == 303, response.text[:300]
    draft_id = int(response.headers["location"].rsplit("/", 1)[1])
    with _db(seeded)() as session:
        saved = session.get(Draft, draft_id).source_name
    assert "/" not in saved and "\\" not in saved and "\x00" not in saved and ".." not in saved
    assert len(saved) <= 120
    if stored is not None:
        assert saved == stored
    else:
        assert saved  # something to show, never empty


def _raw_upload(client, filename: bytes, data: bytes):
    """A multipart body written by hand, so the file name carries bytes a client would encode."""
    boundary = b"hostileboundary"
    body = b"".join(
        [
            b"--" + boundary + b'\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n',
            client.csrf.encode() + b"\r\n",
            b"--"
            + boundary
            + b'\r\nContent-Disposition: form-data; name="file"; filename="'
            + filename
            + b'"\r\n',
            b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n",
            b"--" + boundary + b"--\r\n",
        ]
    )
    return client.post(
        "/import",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=hostileboundary"},
        follow_redirects=False,
    )


@pytest.mark.parametrize("raw", [b"a\x00b.txt", b"..\x00/../passwd.txt", "计划\u202e.txt".encode()])
def test_import_file_names_with_raw_bytes_are_sanitised(login, seeded, raw):
    admin = _signed_in(login, "admin")
    response = _raw_upload(admin, raw, "示例县教育局工作安排\n一、9月2日 开学工作检查（基教股）\n".encode())
    assert response.status_code < 500
    if response.status_code == 303:
        draft_id = int(response.headers["location"].rsplit("/", 1)[1])
        with _db(seeded)() as session:
            saved = session.get(Draft, draft_id).source_name
        assert not re.search(r"[\x00-\x1f/\\\u202e]", saved) and not saved.startswith(".")
        assert saved in ("ab.txt", "passwd.txt", "计划.txt")


def test_absurdly_long_multipart_header_is_refused_in_chinese(login, seeded):
    admin = _signed_in(login, "admin")
    response = _upload(admin, "计" * 5000 + ".txt", "一、9月2日 开学工作检查".encode())
    assert response.status_code == 400
    assert "上传的表单" in response.text


def test_attachment_names_are_sanitised_and_served_as_downloads(hostile, seeded):
    admin = hostile["admin"]
    item_id = _item(hostile, "sql")
    response = admin.post(
        f"/items/{item_id}/reports",
        data={"csrf_token": admin.csrf, "text": "附件测试", "percent": "10"},
        files={"files": ("../../<script>alert(1)</script>\u202e.txt", b"plain text", "text/html")},
        follow_redirects=False,
    )
    assert response.status_code in (200, 303), response.text[:300]
    from eduplan.ledger.models import Attachment

    with _db(seeded)() as session:
        attachment = session.scalars(select(Attachment).order_by(Attachment.id.desc())).first()
        assert attachment is not None
        attachment_id, filename, content_type = attachment.id, attachment.filename, attachment.content_type
    assert "/" not in filename and "\u202e" not in filename
    assert content_type.startswith("text/plain")  # sniffed, not the browser's text/html
    download = admin.get(f"/attachments/{attachment_id}")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    page = admin.get(f"/items/{item_id}").text
    assert "<script>alert" not in page


def test_attachment_that_is_a_zip_bomb_is_refused(hostile, seeded):
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<a>" + b"\0" * (8 * 1024 * 1024) + b"</a>")
    admin = hostile["admin"]
    item_id = _item(hostile, "sql")
    response = admin.post(
        f"/items/{item_id}/reports",
        data={"csrf_token": admin.csrf, "text": "炸弹", "percent": "10"},
        files={"files": ("报告.docx", bomb.getvalue(), "application/octet-stream")},
        follow_redirects=False,
    )
    assert response.status_code in (400, 413, 422), response.status_code
    assert "压缩比异常" in response.text and "报告.docx" in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/items/99999999999999999999",
        "/units/99999999999999999999",
        "/public/plans/99999999999999999999",
        "/calendar?plan=99999999999999999999",
    ],
)
def test_ids_past_any_integer_column_are_not_found(login, seeded, url):
    response = _signed_in(login, "admin").get(url)
    assert response.status_code == 404
    assert "编号超出范围" in response.text


def test_api_ids_past_the_column_are_refused_by_validation(login, seeded):
    admin = _signed_in(login, "admin")
    response = admin.get("/api/v1/items/3000000000")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "item_id"]


# ---------------------------------------------------------------- content sniffed, not the extension


@pytest.mark.parametrize(
    ("data", "kind", "stored"),
    [
        (
            "<html><body><p>9月2日 开学</p></body></html>".encode(),
            "text/plain; charset=utf-8",
            "report.docx.txt",
        ),
        ("进展顺利，已完成九成。".encode("gb18030"), "text/plain; charset=gb18030", "report.docx.txt"),
    ],
)
def test_attachment_named_docx_is_stored_as_what_it_is(data, kind, stored):
    from eduplan.web.uploads import check_attachment

    checked = check_attachment("report.docx", data)
    assert (checked.content_type, checked.filename) == (kind, stored)


@pytest.mark.parametrize(
    "data",
    [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100, b"\x7fELF\x02\x01\x01" + b"\x00" * 100],
)
def test_attachment_named_docx_that_is_a_program_is_refused(data):
    from eduplan.web.uploads import AttachmentError, check_attachment

    with pytest.raises(AttachmentError, match="类型不允许"):
        check_attachment("report.docx", data)


def test_import_of_a_program_named_docx_is_refused_in_chinese(login, seeded):
    admin = _signed_in(login, "admin")
    response = _upload(admin, "计划.docx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 300)
    assert response.status_code == 400
    assert "程序文件" in response.text and "无法识别文件格式" in response.text


def test_import_of_html_named_docx_is_read_as_html(login, seeded):
    admin = _signed_in(login, "admin")
    page = "<html><body><h1>示例县教育局工作安排</h1><p>一、9月2日 开学工作检查（基教股）</p></body></html>"
    response = _upload(admin, "计划.docx", page.encode())
    assert response.status_code == 303
    draft_id = int(response.headers["location"].rsplit("/", 1)[1])
    with _db(seeded)() as session:
        draft = session.get(Draft, draft_id)
        assert draft.plan["source"]["format"] == "html"
        assert any("开学工作检查" in line for line in draft.lines)
