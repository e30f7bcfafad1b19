"""Astreinte à distance (003:625-693, issue 15 part 3): rotas of élus and agents on call for a service or
direction, with absences, overrides and swaps; an ``.ics`` feed of one's shifts behind a secret link; and
urgent notes sent to the person on call now, escalating along the rota when nobody acknowledges them."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: API, pages, navigation, the escalation task, demo data."""
    from flask_babel import lazy_gettext as _l

    from webapp.core.home import NavEntry, register_nav, register_provider
    from webapp.extensions import api
    from webapp.oncall import api as oncall_api
    from webapp.oncall import demo, home, policy, routing, tasks  # noqa: F401  (tasks plugs the escalation in)
    from webapp.oncall import views as oncall_views
    from webapp.push import preferences

    api.register_blueprint(oncall_api.blp)
    app.register_blueprint(oncall_views.bp)
    routing.register()
    home.register_facts()
    register_provider(home.todo_sections, facts=(home.SWAPS_ASKED,))
    # A page for an urgent note is pushed at once, quiet hours or not.
    preferences.register_urgent_kind("oncall.paged")
    preferences.register_urgent_kind("oncall.escalation")
    register_nav(NavEntry(lambda: str(_l("Astreinte")), "oncall.index", policy.sees_oncall, order=70,
                          primary=False, icon="bell"))
    demos = app.extensions.setdefault("tandem_demo", [])
    if demo.build not in demos:
        demos.append(demo.build)
