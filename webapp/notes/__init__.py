"""Notes en stock (003:700-756): argued deadlines, the élu's inbox, acknowledgement, answers,
delegation, renegotiation, reminders and figures."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: API, pages, home to-dos, navigation, demo data, periodic task."""
    from flask_babel import lazy_gettext as _l

    from webapp.core.home import NavEntry, register_actions, register_nav, register_provider
    from webapp.extensions import api
    from webapp.notes import api as notes_api
    from webapp.notes import demo, home, policy, tasks  # noqa: F401 (tasks registers the periodic scan)
    from webapp.notes import service as notes_service
    from webapp.notes import views as notes_views
    from webapp.push import service as push_service

    api.register_blueprint(notes_api.blp)
    app.register_blueprint(notes_views.bp)
    notes_service.register_facts()
    register_provider(home.todo_sections)
    register_actions(home.actions)
    push_service.register_subject_namer(home.notification_subjects)
    register_nav(NavEntry(lambda: str(_l("Notes")), "notes.index", home.sees_notes, order=10, url=home.notes_url,
                          icon="note"))
    register_nav(NavEntry(lambda: str(_l("Chiffres")), "notes.figures", policy.can_view_figures, order=80))
    demos = app.extensions.setdefault("tandem_demo", [])
    if demo.build not in demos:
        demos.append(demo.build)
