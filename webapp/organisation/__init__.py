"""The authority's political organisation for a mandate (003:563-612, issue 14 item 2): the bodies
(commission permanente, thematic and statutory commissions, external bodies) and their posts, drafted by
the coordination with the assemblies service, published to every élu at a set time; later changes are
listed. Every domain reads bodies and posts from here."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: API, pages, navigation, demo data."""
    from flask_babel import lazy_gettext as _l

    from webapp.core import facts
    from webapp.core.home import NavEntry, register_nav
    from webapp.extensions import api
    from webapp.organisation import api as organisation_api
    from webapp.organisation import demo, policy
    from webapp.organisation import views as organisation_views

    api.register_blueprint(organisation_api.blp)
    app.register_blueprint(organisation_views.bp)
    register_nav(NavEntry(lambda: str(_l("Organisation")), "organisation.page", policy.sees_nav, order=62,
                          icon="group"))
    for name, build in policy.nav_facts().items():
        facts.register(name, build)
    demos = app.extensions.setdefault("tandem_demo", [])
    if demo.build not in demos:
        demos.append(demo.build)
