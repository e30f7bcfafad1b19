"""Errors: JSON ``{"error": {code, message, fields}}`` for the API and ``fetch``, HTML for pages."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from webapp.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain refused the action; the message is shown to the user as is."""

    status = 409
    code = "conflict"

    def __init__(self, message: str, fields: dict | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if status:
            self.status = status
            if type(self).code == DomainError.code:
                # A refusal given another status gets that status' code ("invalid" for a 422).
                self.code = _CODES.get(status, self.code)


class Conflict(DomainError):
    """A change that can happen once came second: 409 with the current state of the resource, so that
    the page and the phone's outbox can show who did what ("Marion Guérin a déjà décidé : option B")."""

    def __init__(self, message: str, subject=None):
        super().__init__(message, status=409)
        self.subject = subject


# How each domain's API serializes a resource given back as the current state of a conflict: core
# knows no domain, so each domain registers its own (``register_current(Note, NoteOut().dump)``).
_SERIALIZERS: dict[type, Callable[[object], dict]] = {}


def register_current(model: type, dump: Callable[[object], dict]) -> None:
    _SERIALIZERS[model] = dump


def current_of(subject) -> dict | None:
    dump = _SERIALIZERS.get(type(subject)) if subject is not None else None
    return dump(subject) if dump else None


def wants_json() -> bool:
    """API paths, ``fetch`` calls and clients that prefer JSON get JSON errors."""
    if request.path.startswith("/api/"):
        return True
    if request.headers.get("X-Requested-With") == "fetch":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


_CODES = {
    400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 410: "gone", 412: "precondition_failed",
    413: "too_large", 415: "unsupported_media_type", 422: "invalid", 428: "precondition_required",
    429: "too_many_requests",
}


def _messages() -> dict[int, str]:
    return {
        400: _("La demande est mal formée."),
        401: _("Connectez-vous pour continuer."),
        403: _("Vous n’avez pas accès à cette ressource."),
        404: _("Cette page n’existe pas ou plus."),
        405: _("Cette action n’est pas possible ici."),
        409: _("Cette action est en conflit avec l’état actuel."),
        413: _("Le fichier ou la demande est trop volumineux."),
        422: _("Certaines informations sont invalides."),
        429: _("Trop de tentatives : patientez un moment avant de réessayer."),
        500: _("Une erreur inattendue est survenue. Réessayez dans un instant."),
    }


def error_response(status: int, message: str | None = None, fields: dict | None = None, code: str | None = None,
                   current: dict | None = None):
    """Render an error for the current request in the format it expects; ``current`` is the resource's
    state after a lost race (JSON only: a page shows the message)."""
    message = message or _messages().get(status, _("Erreur."))
    code = code or _CODES.get(status, "error")
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        if current is not None:
            body["error"]["current"] = current
        return jsonify(body), status
    return render_template("core/error.html", status=status, message=message, fields=fields or {}), status


def _last_resort(status: int):
    # Rendering the error failed too (the database is gone, a template broke): answer without the
    # session, the translations or the templates, and in JSON on the API.
    log.exception("error handler failed")
    if request.path.startswith("/api/") or wants_json():
        body = {"error": {"code": _CODES.get(status, "error"), "message": "Une erreur inattendue est survenue. "
                          "Réessayez dans un instant.", "fields": {}}}
        return jsonify(body), status
    return "<!doctype html><title>Erreur</title><p>Une erreur inattendue est survenue.</p>", status, {
        "Content-Type": "text/html; charset=utf-8"}


def _rollback() -> None:
    # First thing in every handler: a failed flush leaves the session unusable ("PendingRollbackError"),
    # and rendering the error (the page's language comes from the signed-in person) reads from it.
    try:
        db.session.rollback()
    except Exception:  # a broken connection must not stop the error page
        log.exception("rollback failed in an error handler")


def _status_of(exc) -> int:
    if isinstance(exc, DomainError):
        return exc.status
    code = getattr(exc, "code", None)
    return code if isinstance(code, int) else 500


def _safely(status: int):
    """Decorate an error handler: roll back first, and never let the handler itself fail."""

    def wrap(handler):
        def run(exc):
            _rollback()
            try:
                return handler(exc)
            except Exception:  # the error page itself failed: answer the last-resort one
                _rollback()
                return _last_resort(status or _status_of(exc))

        run.__name__ = handler.__name__
        return run

    return wrap


def _fields_of(exc: HTTPException) -> dict:
    # webargs (behind flask-smorest) puts marshmallow messages in exc.data["messages"], keyed by location.
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages") or {}
    if set(messages) <= {"json", "query", "form", "files", "view_args", "headers", "path"}:
        merged: dict = {}
        for per_location in messages.values():
            merged.update(per_location)
        return merged
    return messages


def register(app: Flask) -> None:
    """Install the negotiated error handlers."""

    @app.errorhandler(DomainError)
    @_safely(0)
    def _domain(exc: DomainError):
        current = current_of(exc.subject) if isinstance(exc, Conflict) else None
        return error_response(exc.status, exc.message, exc.fields, exc.code, current=current)

    @app.errorhandler(StaleDataError)
    @_safely(409)
    def _stale(exc):
        # A compare-and-set lost against a concurrent change that no service turned into its own message.
        return error_response(409, _("Quelqu’un a modifié cet élément en même temps que vous : rechargez-le."))

    @app.errorhandler(IntegrityError)
    @_safely(409)
    def _integrity(exc):
        # A unique rule refused a concurrent twin (same client id sent twice at once): never a 500.
        return error_response(409)

    @app.errorhandler(CSRFError)
    @_safely(400)
    def _csrf(exc: CSRFError):
        # CSRF is checked before any view: an API write without a session is first of all unauthenticated,
        # and the client must learn to sign in (401), not to fetch a token it could not use (400).
        if request.path.startswith("/api/") and not current_user.is_authenticated:
            return error_response(401)
        return error_response(400, _("Jeton de sécurité manquant ou expiré : rechargez la page."), code="csrf")

    @app.errorhandler(HTTPException)
    @_safely(0)
    def _http(exc: HTTPException):
        if exc.code == 422:
            return error_response(422, fields=_fields_of(exc))
        message = None
        if exc.code in (400, 409, 412, 413, 428) and exc.description and exc.description != type(exc).description:
            message = exc.description
        response = error_response(exc.code or 500, message)
        if exc.code == 429 and getattr(exc, "retry_after", None):
            response[0].headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(InternalServerError)
    @_safely(500)
    def _internal(exc):
        return error_response(500)
