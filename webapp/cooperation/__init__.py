"""Coopération agile (003:625-693, issue 15): the anti-manuel of a service with its élu(s) référent(s),
whose rules are Tandem's parameters (situation types, modalities, deadlines, quiet hours, standing
delegations), kept in agreed versions; and the six-month review of a pair from Tandem's history."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: pages, navigation, home lines, the notifications' quiet hours."""
    from flask_babel import lazy_gettext as _l

    from webapp.cooperation import (  # noqa: F401 (models: the notes refer to them)
        api,
        demo,
        home,
        models,
        review_views,
        routing,
        tasks,
    )
    from webapp.cooperation import views as cooperation_views
    from webapp.core.home import NavEntry, register_nav, register_provider
    from webapp.extensions import api as rest

    rest.register_blueprint(api.blp)
    app.register_blueprint(cooperation_views.bp)
    register_nav(NavEntry(lambda: str(_l("Anti-manuel")), "cooperation.index", home.sees_nav, order=64,
                          icon="group"))
    home.register_facts()
    register_provider(home.todo_sections, facts=(home.HAS_CHARTER,))
    routing.register()
    demos = app.extensions.setdefault("tandem_demo", [])
    if demo.build not in demos:
        demos.append(demo.build)
