"""The OpenAPI document says which errors each operation can answer, and in which envelope.

Every error the app sends is ``{"error": {"code", "message", "fields"}}`` (``core/errors.py``), with an
optional ``current`` object when a request lost a race. This plugin lists, on every operation, the
statuses the shared machinery can produce for it, each with that envelope:

- any operation: 400 (malformed request, unknown host), 422 (a query or body the schemas or the
  input check refuse: ``core/inputs.py``), 500;
- a path with an id: 404;
- a write: 401 (no session, before CSRF), 403, 409 (a rule of the domain: ``DomainError``), 413
  (``MAX_CONTENT_LENGTH``);
- signed-in operations: 401 and 403 (declared by ``core.api.signed_in``).

Statuses an operation declares itself (412 with ``If-Match``...) get the envelope too when they name
no body of their own.
"""

from __future__ import annotations

from http import HTTPStatus

from apispec import BasePlugin

WRITES = ("post", "put", "patch", "delete")
METHODS = ("get", *WRITES)
ENVELOPE = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}


def error_statuses(path: str, method: str) -> list[int]:
    statuses = [400, 422, 500]
    if "{" in path:
        statuses.append(404)
    if method in WRITES:
        statuses += [401, 403, 409, 413]
    return statuses


class ErrorResponses(BasePlugin):
    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            declared = {str(status) for status in responses}
            for status in error_statuses(path or "", method):
                if str(status) not in declared:
                    # The name of a response component flask-smorest registers for every status.
                    responses[status] = HTTPStatus(status).name
            for status, response in responses.items():
                if str(status).isdigit() and int(status) >= 400 and isinstance(response, dict):
                    response.setdefault("content", ENVELOPE)
