"""Refuse input that no database column can hold, before any handler sees it.

PostgreSQL text cannot contain the NUL character: letting one through turns a bad request into a 500
(found by fuzzing the OpenAPI document). One check here covers every page and API route.
"""

from flask import Flask, request
from flask_babel import gettext as _

from webapp.core.errors import error_response


def _has_nul() -> bool:
    if "\x00" in request.path:
        return True
    if any("\x00" in value for value in request.args.values()):
        return True
    if request.mimetype == "application/json":
        body = request.get_data(cache=True, as_text=True)
        return "\x00" in body or "\\u0000" in body.lower()
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in value for value in request.form.values())
    return False


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_nul():
        if _has_nul():
            return error_response(422, _("Les caractères nuls ne sont pas acceptés."), code="invalid")
        return None
