"""Désignation (003:563-612, issue 14): after the election, each élu wishes posts of the published
organisation, ranked and justified, and sees live the alerts (agenda, conflict of interest), the time
gauge, the representation cap and an indemnity simulation; the coordination arbitrates (``assigning``),
publishes the final proposal, and the plenary's vote makes it effective (``plenary``)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def register(app: Flask) -> None:
    """Wire the domain into the app: API, pages, demo data."""
    # The pages' modules join the wishes' blueprint; tasks registers the installation week's scan.
    from webapp.designation import annex_views, api_board, board, demo, rules_views, tasks, week  # noqa: F401
    from webapp.designation import api as designation_api
    from webapp.extensions import api
    from webapp.push.preferences import register_kind

    api.register_blueprint(designation_api.blp)
    api.register_blueprint(api_board.blp)
    register_kind("designation", _l("Semaine d’installation et désignations"))
    app.register_blueprint(board.bp)  # the wishes' blueprint, with the board's routes added
    # No navigation entry: the navigation is asked on every page and must cost no statement; the wishes
    # are reached from the organisation page, where the élu reads the posts.
    demos = app.extensions.setdefault("tandem_demo", [])
    if demo.build not in demos:
        demos.append(demo.build)
