"""Nothing a page loads comes from the internet: the bureau's intranet has none."""

from __future__ import annotations

import re

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


def test_api_docs_load_swagger_from_the_app_itself(app):
    from fastapi.testclient import TestClient

    page = TestClient(app).get("/api/docs")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui-bundle.js" in page.text
    assert "/static/vendor/swagger-ui.css" in page.text
    assert "cdn.jsdelivr" not in page.text
    assert not EXTERNAL.search(page.text), EXTERNAL.search(page.text)


def test_pages_load_nothing_from_another_host(login):
    client = login("admin")
    for path in ("/", "/calendar", "/calendar/month?month=2024-09", "/targets", "/login"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert not EXTERNAL.search(page.text), (path, EXTERNAL.search(page.text))


def test_a_guest_is_not_offered_the_unit_pages_it_may_not_open(login):
    page = login("guest").get("/")
    assert 'href="/units"' not in page.text
    assert 'href="/calendar"' in page.text
