"""Manifest, service worker and offline page: what makes Tandem installable and usable offline."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, url_for
from flask_babel import gettext as _

from webapp.pwa import shell

bp = Blueprint("pwa", __name__)

THEME = "#1d3557"


def manifest_data() -> dict:
    """The web app manifest (French: the interface language of the authority)."""
    icon = lambda name: url_for("static", filename=f"icons/{name}")  # noqa: E731
    shot = lambda name: url_for("static", filename=f"screenshots/{name}")  # noqa: E731
    return {
        "id": "/",
        "name": "Tandem",
        "short_name": "Tandem",
        "description": _("L’outil de travail du binôme élu–agent"),
        "lang": "fr",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME,
        "background_color": "#f5f6f8",
        "icons": [
            {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": icon("icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
            {"src": icon("icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
        # Real pages of the demo authority (static/screenshots/), shown by install dialogs.
        "screenshots": [
            {"src": shot("home-phone.png"), "sizes": "780x1688", "type": "image/png", "form_factor": "narrow",
             "label": _("L’accueil d’un élu : ses notes à traiter et ses excursions")},
            {"src": shot("notifications-phone.png"), "sizes": "780x1688", "type": "image/png",
             "form_factor": "narrow", "label": _("Les notifications, chacune avec sa note ou sa visite")},
            {"src": shot("home-wide.png"), "sizes": "2560x1600", "type": "image/png", "form_factor": "wide",
             "label": _("L’accueil sur un ordinateur")},
        ],
        "shortcuts": [
            {"name": _("Accueil"), "url": "/", "icons": [{"src": icon("icon-192.png"), "sizes": "192x192"}]},
            {"name": _("Boîte de réception"), "short_name": _("Réception"), "url": "/notes/inbox",
             "icons": [{"src": icon("icon-192.png"), "sizes": "192x192"}]},
            {"name": _("Nouvelle capture"), "short_name": _("Capture"), "url": "/excursions/capture",
             "description": _("Capturer sur le terrain pendant une excursion pratique"),
             "icons": [{"src": icon("icon-192.png"), "sizes": "192x192"}]},
            {"name": _("Notifications"), "url": "/notifications",
             "icons": [{"src": icon("icon-192.png"), "sizes": "192x192"}]},
        ],
    }


@bp.get("/manifest.webmanifest")
def manifest():
    response = jsonify(manifest_data())
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, with the precache list and version of this deployment injected."""
    response = Response(shell.current().script(), mimetype="text/javascript")
    # Browsers must check for a new version on every navigation, and the whole app is its scope.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.get("/offline")
def offline():
    """Shown by the service worker for a page that was never opened on this device while offline."""
    response = Response(render_template("pwa/offline.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response
