"""The whole OpenAPI document fuzzed with schemathesis, as an élu and as an agent: whatever a client
sends, never a 5xx, and every answer (errors included) is the one the document describes.

Schemathesis' pytest plugin does not run under pytest 9 yet, so each operation's hypothesis strategy is
driven directly; the generated requests go through the suite's signed-in test client (session cookie and
CSRF header, as the app's own scripts send them), and each response goes through schemathesis' checks:
no server error, a documented status, content type, headers and body. Bounded: a few examples per
operation (``EXAMPLES``), about a minute in all.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.excursions.conftest import Team

EXAMPLES = 10
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


def _strategy(operation, known: dict):
    """Valid and invalid requests; half of them aimed at objects that exist (the team's excursion)."""
    modes = [operation.as_strategy(mode) for mode in GenerationMode]
    aimed = {name: value for name, value in known.items() if "{" + name + "}" in operation.path}
    if aimed:
        modes += [operation.as_strategy(mode, path_parameters=aimed) for mode in GenerationMode]
    return st.one_of(modes)


def _failures_for(app, client, known: dict) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 60
    failures: list[str] = []
    for operation in operations:

        @given(case=_strategy(operation, known))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            # Sent by schemathesis (its serialisers for JSON, multipart, raw bytes) through our client.
            response = case.call(session=client)
            try:
                case.validate_response(response, checks=CHECKS)
            except FailureGroup as group:
                failures.extend(f"{case.method} {case.path} -> {response.status_code}: "
                                f"{failure.title}: {failure.message.strip().splitlines()[0]}"
                                for failure in group.exceptions)

        run()
    return failures


@pytest.mark.parametrize("persona", ["elu", "agent"])
def test_the_api_answers_as_its_document_says_whatever_is_sent(app, make, persona):
    team = Team(make)  # an excursion, its agent and élu: some requests reach real objects
    client = app.test_client()
    client.login(getattr(team, persona))
    failures = _failures_for(app, client, {"excursion_id": str(team.excursion.id)})
    assert failures == [], "\n".join(sorted(set(failures))[:40])
