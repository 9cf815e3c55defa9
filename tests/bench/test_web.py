"""``eduplan bench web``'s ledger and its figures, small: the counts the scale asks for, every page
it times answers 200 in the app, and the lines print p50/p95 with the targets' verdicts. No timing
is asserted (the command prints figures, never pass/fail)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from eduplan.bench.load import _sign_in
from eduplan.bench.web import Built, Page, Scale, Timing, WebBenchResult, build_ledger, report_lines
from eduplan.ledger.db import connect, sessions
from eduplan.ledger.models import Item, Organisation, ProgressReport, Supervision


def test_the_ledger_has_the_scale_asked_for_and_every_page_answers(tmp_path):
    url = f"sqlite:///{tmp_path / 'web.db'}"
    scale = Scale(bureaus=3, plans=2, items=10, reports=3)
    built = build_ledger(url, scale, date.today())
    assert (built.bureaus, built.items, built.reports) == (3, 60, 180)  # 3 × 2 × 10 items, 3 reports each
    engine = connect(url)
    try:
        with sessions(engine)() as session:
            assert session.scalar(select(func.count()).select_from(Item)) == 60
            assert session.scalar(select(func.count()).select_from(ProgressReport)) == 180
            bureaus = session.scalar(
                select(func.count()).select_from(Organisation).where(Organisation.kind == "bureau")
            )
            assert bureaus == 3
            # 2 % of 60 items under 督办: one
            assert session.scalar(select(func.count()).select_from(Supervision)) == 1
    finally:
        engine.dispose()
    assert [p.label for p in built.pages] == [
        "工作台",
        "行事历（周）",
        "行事历（月）",
        "事项页",
        "督办",
        "订阅 .ics",
        "API 事项列表",
        "静态文件",
    ]
    from eduplan.web.app import create_app

    app = create_app(url)
    with TestClient(app, follow_redirects=False) as client:
        _sign_in(client, "admin", "admin-2026")
        for page in built.pages:
            headers = {"Authorization": f"Bearer {built.token}"} if page.auth == "token" else {}
            if page.auth == "none":
                client.cookies.clear()
            response = client.get(page.path, headers=headers)
            assert response.status_code == 200, page


def test_the_lines_give_percentiles_and_the_verdicts():
    built = Built(105, 52_500, 210_000, import_seconds=10.5, report_seconds=2.0)
    page, static = Page("工作台", "/"), Page("静态文件", "/static/app.css", "none")
    result = WebBenchResult(
        "sqlite",
        built,
        [
            # 20 answers of 10..200 ms: p50 is the 10th (100 ms), p95 the 19th (190 ms)
            Timing(1, 1, page, [n / 100 for n in range(1, 21)], Counter({200: 20})),
            Timing(1, 8, page, [0.2] * 19 + [0.3], Counter({200: 20})),
            Timing(2, 8, static, [0.001] * 4, Counter({200: 4})),
        ],
    )
    lines = report_lines(result)
    assert lines[0] == "bench web (sqlite): 105 bureaus · 52,500 items · 210,000 progress reports"
    assert lines[1].startswith("import 5,000 items/s (52,500 items in 10.5 s")
    assert "reports 105,000 rows/s" in lines[1]
    assert lines[2] == (
        "workers 1 · 1 conn · 工作台 /: p50 100 ms · p95 190 ms · n=20 (200×20)"
        " · target p95 < 100 ms: NOT met"
    )
    assert lines[3].endswith("p50 200 ms · p95 200 ms · n=20 (200×20) · target p95 < 250 ms: met")
    assert lines[4] == "workers 2 · 8 conn · 静态文件 /static/app.css: p50 1 ms · p95 1 ms · n=4 (200×4)"


def test_reuse_takes_the_file_an_earlier_run_built(tmp_path):
    import pytest

    from eduplan.bench.web import _reusable, reuse_ledger
    from eduplan.errors import EduplanError

    url = f"sqlite:///{tmp_path / 'kept.db'}"
    assert _reusable(url) is None  # no file yet: the run builds it there
    build_ledger(url, Scale(bureaus=2, plans=1, items=10, reports=2), date.today())
    assert _reusable(url) == url
    again = reuse_ledger(url, Scale())  # the default scale is not what the file holds
    assert (again.bureaus, again.items, again.reports, again.reused) == (2, 20, 40, True)
    assert again.pages[0].path == "/" and again.token
    lines = report_lines(WebBenchResult("sqlite", again))
    assert lines[0] == "bench web (sqlite): 2 bureaus · 20 items · 40 progress reports"
    assert lines[1].startswith("import: none (--reuse")
    with pytest.raises(EduplanError, match="SQLite"):
        _reusable("postgresql://postgres@127.0.0.1:5432/test")
    with pytest.raises(EduplanError, match="SQLite"):
        _reusable(None)


def test_import_only_builds_and_times_the_ledger_without_a_server():
    from eduplan.bench.web import bench_web

    result = bench_web(None, Scale(bureaus=2, plans=1, items=5, reports=1), import_only=True)
    assert (result.backend, result.built.items, result.built.reports) == ("sqlite", 10, 10)
    assert result.timings == []  # no page was asked for
    lines = report_lines(result)
    assert lines[1].startswith("import ") and "10 items in" in lines[1]
    assert lines[2].startswith("load average")
