"""Read HTML forms with the API's marshmallow schemas (webargs), re-rendering the page on errors.

Usage, one route per action::

    @bp.post("/things/<uuid:thing_id>/rename")
    @login_required
    @use_form(RenameIn, on_error=lambda errors, **kw: render_page(kw["thing_id"], errors))
    def rename(data, thing_id): ...

- Blank fields are dropped before loading, so an empty date box means "no date" (``load_default``)
  rather than "Not a valid date"; an unchecked checkbox is absent, as browsers send it. Fields read as
  lists keep their blanks (they are the columns of a table of rows).
- Unknown fields (``csrf_token``, submit buttons) are excluded, never applied.
- On a validation error ``on_error(errors, **view_args)`` renders the page again; the helper sends it
  with status 422. ``errors`` maps a field name to its messages, in the page's language.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import make_response, request
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, fields
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy
from werkzeug.datastructures import MultiDict

from webapp.core.errors import DomainError
from webapp.extensions import db


class FormInvalid(DomainError):
    """The form did not pass its schema; ``errors`` maps field names to messages. A refusal like the
    service's (422), so a view that reads its form inside its ``try`` shows both the same way."""

    def __init__(self, errors: dict):
        super().__init__(_("Vérifiez les champs signalés."), fields=errors, status=422)
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
        "Must be less than or equal to": _("Valeur hors limites."),
        "Not a valid UUID.": _("Valeur invalide."),
    }


def _say(message: str) -> str:
    for stock, said in _messages().items():
        if message.startswith(stock):
            return said
    return message


def _leaves(messages) -> list[str]:
    """Every message under a field, however deep (a list of rows has errors per row and per column)."""
    if isinstance(messages, dict):
        return [m for inner in messages.values() for m in _leaves(inner)]
    if isinstance(messages, list):
        return [m for inner in messages for m in _leaves(inner)]
    return [str(messages)]


def _translated(errors: dict) -> dict:
    return {field: list(dict.fromkeys(_say(m) for m in _leaves(messages))) for field, messages in errors.items()}


class _FormParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "form": EXCLUDE}

    def load_form(self, req, schema):
        # Repeated boxes read as a list are columns of a table (``people_name``, ``people_role``…): their
        # blanks are kept so that the columns stay aligned; the schema or the service drops empty rows.
        columns = {name for name, field in schema.fields.items() if isinstance(field, fields.List)}
        kept = MultiDict([(k, v) for k, v in req.form.items(multi=True) if k in columns or v.strip() != ""])
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


def refusal_errors(exc: DomainError) -> dict:
    """A domain refusal as page errors: ``message`` for the banner, the named fields beside their boxes."""
    return {"message": exc.message, **exc.fields}


def commits(on_refusal: Callable[..., object]):
    """Decorator for an HTML action: the view calls the service and ends by committing; when the service
    refuses (``DomainError``), the session is rolled back and ``on_refusal(exc, **view_args)`` renders the
    page again with the error's status (422, 409...). Written once here, not in every view."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            try:
                return view(*args, **kwargs)
            except DomainError as exc:
                db.session.rollback()
                response = make_response(on_refusal(exc, **kwargs))
                response.status_code = exc.status
                return response

        return wrapper

    return decorate


def typed() -> MultiDict:
    """The fields as the person typed them: to fill the form again after a refusal, or to check every
    field whatever the schema (``core.inputs`` refuses unstorable characters); never to act on."""
    return request.form
