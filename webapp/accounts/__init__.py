"""People and sign-in: users, the services tree, devices, password reset; roles derived from the data."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire the domain into the app: pages, API, home to-dos, the roles the templates show."""
    from webapp.accounts import api as accounts_api
    from webapp.accounts import home, roles
    from webapp.accounts import views as accounts_views
    from webapp.core.home import register_provider
    from webapp.core.templating import register_roles
    from webapp.extensions import api

    app.register_blueprint(accounts_views.bp)
    api.register_blueprint(accounts_api.blp)
    register_provider(home.todo)
    register_roles(roles.roles_of)
    roles.register_facts()
