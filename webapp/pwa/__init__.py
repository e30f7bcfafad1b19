"""The installable PWA: web app manifest, service worker and offline page."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: the manifest, the service worker and the offline page."""
    from webapp.pwa import views as pwa_views

    app.register_blueprint(pwa_views.bp)
