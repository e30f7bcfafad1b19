"""Bilan de commission (003:363-439): aperçus politiques and their templates, the élus' and agents'
spaces, bilan sessions (scale, ranking, 3 + 3 selections, groups' selections, adoption), activity reports."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: API, pages, home to-dos, navigation, demo data."""
    from flask_babel import lazy_gettext as _l

    from webapp.commissions import api as commissions_api
    from webapp.commissions import demo, home
    from webapp.commissions import views as commissions_views
    from webapp.core.home import NavEntry, register_nav, register_provider
    from webapp.extensions import api

    api.register_blueprint(commissions_api.blp)
    app.register_blueprint(commissions_views.bp)
    register_provider(home.todo_sections)
    register_nav(NavEntry(lambda: str(_l("Commissions")), "commissions.index", home.sees_commissions, order=30,
                          icon="group"))
    demos = app.extensions.setdefault("tandem_demo", [])
    if demo.build not in demos:
        demos.append(demo.build)
