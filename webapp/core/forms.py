"""Read HTML forms with the API's marshmallow schemas (webargs), re-rendering the page on errors.

Usage, one route per action::

    @bp.post("/things/<uuid:thing_id>/rename")
    @login_required
    @use_form(RenameIn, on_error=lambda errors, **kw: render_page(kw["thing_id"], errors))
    def rename(data, thing_id): ...

- Blank fields are dropped before loading, so an empty date box means "no date" (``load_default``)
  rather than "Not a valid date"; an unchecked checkbox is absent, as browsers send it.
- Unknown fields (``csrf_token``, submit buttons) are excluded, never applied.
- On a validation error ``on_error(errors, **view_args)`` renders the page again; the helper sends it
  with status 422. ``errors`` maps a field name to its messages, in the page's language.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import make_response
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict


class FormInvalid(Exception):
    """The form did not pass its schema; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict):
        super().__init__("invalid form")
        self.errors = errors


def _messages() -> dict[str, str]:
    """marshmallow's stock messages, said in the page's language (schemas may set their own)."""
    return {
        "Missing data for required field.": _("Ce champ est obligatoire."),
        "Not a valid date.": _("Date invalide."),
        "Not a valid time.": _("Heure invalide."),
        "Not a valid integer.": _("Nombre entier attendu."),
        "Not a valid boolean.": _("Oui ou non attendu."),
        "Not a valid email address.": _("Adresse e-mail invalide."),
        "Must be one of: ": _("Choix invalide."),
        "Length must be between": _("Longueur invalide."),
        "Longer than maximum length": _("Texte trop long."),
        "Shorter than minimum length": _("Texte trop court."),
        "Must be greater than or equal to": _("Valeur hors limites."),
    }


def _say(message: str) -> str:
    for stock, said in _messages().items():
        if message.startswith(stock):
            return said
    return message


def _translated(errors: dict) -> dict:
    return {field: [_say(m) for m in messages] if isinstance(messages, list) else messages
            for field, messages in errors.items()}


class _FormParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "form": EXCLUDE}

    def load_form(self, req, schema):
        kept = MultiDict([(k, v) for k, v in req.form.items(multi=True) if v.strip() != ""])
        return MultiDictProxy(kept, schema)

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        messages = error.normalized_messages()
        # webargs keys the messages by location; a form has one location.
        raise FormInvalid(_translated(messages.get("form", messages)))


parser = _FormParser()


def read_form(schema: type[Schema] | Schema) -> dict:
    """The form's data loaded by ``schema``; raises ``FormInvalid`` with the field errors."""
    instance = schema() if isinstance(schema, type) else schema
    return parser.parse(instance, location="form", unknown=EXCLUDE)


def use_form(schema: type[Schema] | Schema, on_error: Callable[..., object]):
    """Decorator: call the view with the loaded data first, or answer ``on_error(...)`` with status 422."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            try:
                data = read_form(schema)
            except FormInvalid as exc:
                response = make_response(on_error(exc.errors, **kwargs))
                response.status_code = 422
                return response
            return view(data, *args, **kwargs)

        return wrapper

    return decorate
