"""Atlas de mandature (003:440-485): budget data and CSV import, posters per theme, the public atlas,
its print-ready PDF (built by the worker) and open data."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: API, pages, home to-dos, navigation, demo data, worker task."""
    from flask_babel import lazy_gettext as _l

    from webapp.atlas import api as atlas_api
    from webapp.atlas import demo, home, policy, tasks  # noqa: F401 (tasks registers the PDF build)
    from webapp.atlas import views as atlas_views
    from webapp.atlas.service import staff
    from webapp.core.home import NavEntry, register_nav, register_provider
    from webapp.extensions import api

    api.register_blueprint(atlas_api.blp)
    app.register_blueprint(atlas_views.bp)
    register_provider(home.todo_sections)
    register_nav(NavEntry(lambda: str(_l("Atlas")), "atlas.spaces", policy.can_use_spaces, order=35,
                          icon="book"))
    staff.register_facts()
    demos = app.extensions.setdefault("tandem_demo", [])
    if demo.build not in demos:
        demos.append(demo.build)
