"""Ma vie d'élu local (003:486-518, issue 17): video testimonies of the local actors who sit with élus in
the organisation's bodies, filmed on a phone by the assemblies service (offline, uploaded like excursion
evidence), captioned in Tandem, published on a public site without sign-in or cookie, as open data, and
shown at the neighbouring Tandem sites ("chez nos voisins")."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: API, public and collection pages, home to-do, navigation, demo data,
    periodic tasks."""
    from flask_babel import lazy_gettext as _l

    from webapp.core.home import NavEntry, register_nav, register_provider
    from webapp.extensions import api
    from webapp.testimonies import api as testimonies_api
    from webapp.testimonies import demo, home, policy, public, tasks  # noqa: F401 (tasks: periodic jobs)
    from webapp.testimonies import views as testimonies_views

    api.register_blueprint(testimonies_api.blp)
    app.register_blueprint(testimonies_views.bp)
    app.register_blueprint(public.bp)
    register_provider(home.todo_sections)
    register_nav(NavEntry(lambda: str(_l("Témoignages")), "testimonies.manage", policy.can_collect, order=64,
                          icon="group"))
    demos = app.extensions.setdefault("tandem_demo", [])
    if demo.build not in demos:
        demos.append(demo.build)
