"""schemathesis against the app's own OpenAPI document, in process: every operation, a bounded
number of generated requests each (valid and invalid by the schema), signed in with an
administrator's API token; no response may be a 5xx."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

EXAMPLES_PER_OPERATION = 50
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _admin_token(login) -> str:
    client = login("admin")
    csrf = CSRF.search(client.get("/login").text).group(1)
    created = client.post("/api/v1/tokens", json={"name": "schemathesis"}, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201, created.text
    return created.json()["token"]


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


def test_the_schema_lists_the_api(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    labels = {f"{op.method.upper()} {op.path}" for op in operations}
    assert "GET /api/v1/items" in labels
    assert all(path.startswith("/api/v1/") for path in (op.path for op in operations))


def _no_5xx(operation, headers: dict[str, str], calls: list[int]):
    """A hypothesis test calling ``operation`` with generated requests and checking for 5xx;
    ``calls`` counts the requests made."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case) -> None:
        response = case.call(headers=headers)
        calls.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    return check


def test_no_operation_answers_with_a_server_error(api_schema, login):
    failures: list[str] = []
    calls: list[int] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        # A fresh token per operation: DELETE /api/v1/tokens/{id} may revoke the one before.
        check = _no_5xx(operation, {"Authorization": f"Bearer {_admin_token(login)}"}, calls)
        try:
            check()
        except Exception as error:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:800]}")
    assert failures == [], "\n".join(failures)
    print(f"schemathesis: {len(operations)} operations, {len(calls)} requests")
    assert len(calls) >= 5 * len(operations)  # generated requests were really sent
    assert any(code < 300 for code in calls) and any(400 <= code < 500 for code in calls)
