"""Errors: JSON ``{"error": {code, message, fields}}`` for the API and ``fetch``, HTML for pages."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


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


def error_response(status: int, message: str | None = None, fields: dict | None = None, code: str | None = None):
    """Render an error for the current request in the format it expects."""
    message = message or _messages().get(status, _("Erreur."))
    code = code or _CODES.get(status, "error")
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        return jsonify(body), status
    return render_template("core/error.html", status=status, message=message, fields=fields or {}), status


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
    def _domain(exc: DomainError):
        return error_response(exc.status, exc.message, exc.fields, exc.code)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        # CSRF is checked before any view: an API write without a session is first of all unauthenticated,
        # and the client must learn to sign in (401), not to fetch a token it could not use (400).
        if request.path.startswith("/api/") and not current_user.is_authenticated:
            return error_response(401)
        return error_response(400, _("Jeton de sécurité manquant ou expiré : rechargez la page."), code="csrf")

    @app.errorhandler(HTTPException)
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
    def _internal(exc):
        return error_response(500)
