"""The OpenAPI document fuzzed with schemathesis: whatever a client sends, never a 5xx.

Schemathesis' pytest plugin does not run under pytest 9 yet, so each operation's hypothesis strategy is
driven directly, and the generated requests go through the suite's own signed-in test client.
"""

import json

import schemathesis
from hypothesis import HealthCheck, given, settings

from webapp.core.schemas import InSchema  # noqa: F401 (documents where EXCLUDE is set for inputs)


def _send(client, case):
    kwargs = {"method": case.method, "query_string": case.query or None,
              "headers": {k: str(v) for k, v in (case.headers or {}).items()}}
    if case.body is not None and not isinstance(case.body, schemathesis.core.NotSet):
        kwargs["data"] = json.dumps(case.body)
        kwargs["content_type"] = case.media_type or "application/json"
    return client.open(case.formatted_path, **kwargs)


def test_no_input_makes_the_api_fail(app, make):
    client = app.test_client()
    client.login(make.user(admin=True, unit=make.unit()))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 5
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            response = _send(client, case)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")
            elif response.status_code >= 400:
                assert response.mimetype == "application/json", case.formatted_path
                assert "error" in response.get_json()

        run()
    assert failures == []
