"""Forum des politiques publiques (003:519-562): the new élus' profiles (official portrait, recurring
agenda constraints, declared interests), opening a mandate and inviting its élus, the services' stands
with the élus' questions and the agents' answers, and the assemblies service's progress page."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: API, pages, home to-dos, navigation, demo data."""
    from flask_babel import lazy_gettext as _l

    from webapp.core.home import NavEntry, register_nav, register_provider
    from webapp.extensions import api
    from webapp.forum import api as forum_api
    from webapp.forum import demo, home
    from webapp.forum import views as forum_views

    api.register_blueprint(forum_api.blp)
    app.register_blueprint(forum_views.bp)
    home.register_facts()
    register_provider(home.todo_sections, facts=(home.SEATED,))
    register_nav(NavEntry(lambda: str(_l("Forum")), "forum.stands", home.sees_forum, order=60,
                          icon="chat"))
    demos = app.extensions.setdefault("tandem_demo", [])
    if demo.build not in demos:
        demos.append(demo.build)
