"""Notifications: the in-app notification centre, Web Push delivery, e-mail fallback."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: the centre's pages, API, delivery, the navigation entry."""
    from flask_babel import lazy_gettext as _l

    from webapp.core.home import NavEntry, register_nav
    from webapp.extensions import api
    from webapp.push import api as push_api
    from webapp.push import delivery, service
    from webapp.push import views as push_views

    app.register_blueprint(push_views.bp)
    api.register_blueprint(push_api.blp)
    delivery.register(app)
    register_nav(NavEntry(lambda: _l("Notifications"), "push.centre", lambda user: True, order=90, primary=True,
                          badge=service.unread_badge, icon="bell"))
    service.register_facts()
