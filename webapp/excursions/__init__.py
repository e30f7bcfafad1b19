"""Excursions pratiques (003:757-812): preparation and protocol, offline capture of evidence, sync
without loss or duplicates, the co-written mini-bilan, and the quotas of élus."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: API, pages, home to-dos, navigation, demo data, periodic task."""
    from flask_babel import lazy_gettext as _l

    from webapp.core.home import NavEntry, register_actions, register_nav, register_provider
    from webapp.excursions import api as excursions_api
    from webapp.excursions import demo, home, policy, tasks  # noqa: F401 (tasks registers the periodic scan)
    from webapp.excursions import views as excursions_views
    from webapp.extensions import api
    from webapp.push import service as push_service

    api.register_blueprint(excursions_api.blp)
    app.register_blueprint(excursions_views.bp)
    register_provider(home.todo_sections)
    register_actions(home.actions)
    push_service.register_subject_namer(home.notification_subjects)
    register_nav(NavEntry(lambda: str(_l("Excursions")), "excursions.index",
                          lambda u: policy.sees_excursions(u) or policy.can_view_compliance(u), order=20,
                          icon="map"))
    demos = app.extensions.setdefault("tandem_demo", [])
    if demo.build not in demos:
        demos.append(demo.build)
