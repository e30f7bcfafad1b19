"""HTTP security headers for every response; requests for a host the app does not serve are refused."""

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import SecurityError

from webapp.core.templating import import_map

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' {import_map}",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def _refuse_unknown_host():
    """With ``TRUSTED_HOSTS`` set (production), Flask marks a request for another host as a routing error;
    answer it before anything else runs (CSRF, rate limits, pages): nothing can build a URL for it."""
    if isinstance(request.routing_exception, SecurityError):
        if request.path.startswith("/api/"):
            body = {"error": {"code": "bad_request", "message": "Unknown host.", "fields": {}}}
            return jsonify(body), 400
        return Response("Unknown host.", status=400, mimetype="text/plain")
    return None


def register(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_unknown_host)

    @app.after_request
    def _headers(response):
        # The one inline script allowed is the layout's import map, by its hash.
        response.headers.setdefault("Content-Security-Policy", CSP.format(import_map=import_map().csp_source))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(self), geolocation=(self)")
        if app.config.get("TANDEM_ENV") == "production":
            response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        if request.path.startswith("/api/"):
            # Personal data: never kept by shared caches; the service worker decides what it keeps.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
