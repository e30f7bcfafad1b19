"""Refuse text that no column can store, once, at the edge, before any handler sees it.

Three kinds of characters turn a bad request into a 500 deep down, or into garbage in an export:

- NUL: PostgreSQL text cannot hold it;
- lone surrogates (``"\\ud800"`` in JSON, or an emoji cut in half by a client): no UTF-8 encoding exists,
  so the database driver fails on them;
- the other C0 control characters (form feed, escape, ...): no one types them, and they break the CSV,
  iCalendar and PDF exports. Tab, line feed and carriage return stay: textareas send CR LF.

Every JSON body, form and query string is checked here; the answer is a 422 naming the field (nested like
marshmallow's messages: ``{"items": {"0": {"text": [...]}}}``). An endpoint that answers per item (a
phone's batch of captures) declares it with :func:`per_item`: its items are checked one by one by the
handler (:func:`check_item`), so one bad capture does not refuse the good ones.
"""

from __future__ import annotations

import re

from flask import Flask, current_app, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from webapp.core.errors import error_response
from webapp.core.forms import typed

# Surrogates (U+D800-U+DFFF) and C0 controls except tab, LF and CR.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _problem(text: str) -> str | None:
    match = _UNSTORABLE.search(text)
    if match is None:
        return None
    return _("Caractère non autorisé (U+%(code)s).", code=f"{ord(match.group()):04X}")


def unstorable(value) -> dict | None:
    """Where ``value`` (parsed JSON) holds text that cannot be stored: nested field messages, or None."""
    if isinstance(value, str):
        problem = _problem(value)
        return {"_value": [problem]} if problem else None
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            key_problem = _problem(key) if isinstance(key, str) else None
            if key_problem:
                found["_key"] = [key_problem]
                continue
            inner = unstorable(item)
            if inner:
                found[key] = inner.get("_value", inner)
        return found or None
    if isinstance(value, list):
        found = {}
        for index, item in enumerate(value):
            inner = unstorable(item)
            if inner:
                found[str(index)] = inner.get("_value", inner)
        return found or None
    return None


def _as_fields(problems: dict) -> dict:
    # A body that is a bare string has no field: marshmallow names that place "_schema".
    return {"_schema": problems["_value"]} if "_value" in problems else problems


def check_item(load):
    """Wrap a schema's ``load`` so that one item of a batch is refused (ValidationError) like a field."""

    def checked(body):
        problems = unstorable(body)
        if problems:
            raise ValidationError(_as_fields(problems))
        return load(body)

    return checked


def per_item(field: str):
    """Mark an API method whose ``field`` list is checked item by item by the handler itself."""

    def mark(fn):
        fn.per_item_field = field
        return fn

    return mark


def _per_item_field() -> str | None:
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, request.method.lower(), None) if view_class else view
    return getattr(handler, "per_item_field", None)


def _json_problems() -> dict | None:
    body = request.get_json(silent=True, cache=True)
    if body is None:
        return None
    field = _per_item_field()
    if field and isinstance(body, dict) and isinstance(body.get(field), list):
        body = {key: value for key, value in body.items() if key != field}
    return unstorable(body)


def _multi_problems(values) -> dict | None:
    found = {}
    for key, value in values.items(multi=True):
        problem = _problem(key) or _problem(value)
        if problem:
            found.setdefault(key, []).append(problem)
    return found or None


def _problems() -> dict | None:
    if "\x00" in request.path:
        return {"_path": [_problem("\x00")]}
    found = _multi_problems(request.args) or {}
    if request.is_json:
        found.update(_json_problems() or {})
    elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        found.update(_multi_problems(typed()) or {})
    return found or None


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_unstorable():
        problems = _problems()
        if problems:
            return error_response(422, _("Certains caractères ne peuvent pas être enregistrés."),
                                  fields=_as_fields(problems), code="invalid")
        return None
