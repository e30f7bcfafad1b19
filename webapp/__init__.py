"""Tandem: the working tool of the élu–agent pair. ``create_app`` wires everything, in small steps."""

from __future__ import annotations

import sys
from datetime import timedelta

from flask import Flask, request
from flask_login import current_user

from webapp import config as settings
from webapp.extensions import api, babel, csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    """Build the application; ``config`` overrides the settings read from the environment."""
    app = Flask(__name__, instance_path=str(settings.instance_path()),
                template_folder="../templates", static_folder="../static")
    app.config.update(settings.from_environment())
    app.config.update(config or {})
    _refuse_unsafe_start(app.config)
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=app.config["REMEMBER_DAYS"]))
    register_extensions(app)
    register_blueprints(app)
    register_templates(app)
    register_cli(app)
    register_static(app)
    return app


def register_static(app: Flask) -> None:
    from webapp.core import static

    static.register(app)


def _refuse_unsafe_start(config) -> None:
    """One clear line and exit code 4 instead of a traceback: gunicorn's master stops on code 4 ("app
    failed to load") rather than respawning workers that would each fail the same way; ``flask`` exits
    non-zero too."""
    try:
        settings.check(config)
    except settings.ConfigurationError as error:
        print(f"Tandem : {error}", file=sys.stderr, flush=True)
        raise SystemExit(4) from None


def register_extensions(app: Flask) -> None:
    from webapp.core import errors, inputs, security, sqlite, transactions  # noqa: F401 (sqlite: engine tuning)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=_locale, timezone_selector=lambda: "Europe/Paris")
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    # "basic", not "strong": a phone changes address between Wi-Fi and 4G; that must not sign it out.
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    from flask_login import user_logged_in

    from webapp.accounts import devices

    user_logged_in.connect(devices.on_signed_in, app)
    api.init_app(app)
    errors.register(app)
    inputs.register(app)
    security.register(app)
    transactions.register(app)


def register_blueprints(app: Flask) -> None:
    from webapp import (
        accounts,
        atlas,
        commissions,
        cooperation,
        designation,
        excursions,
        forum,
        notes,
        oncall,
        organisation,
        push,
        pwa,
        testimonies,
    )
    from webapp.core import idempotency  # noqa: F401 (idempotency's model)
    from webapp.core import views as core_views

    app.register_blueprint(core_views.bp)
    # Each domain wires its own pages, API, home to-dos, navigation, demo data and periodic tasks.
    for domain in (pwa, accounts, push, notes, excursions, commissions, atlas, forum, organisation, designation,
                   cooperation, testimonies, oncall):
        domain.register(app)


def register_templates(app: Flask) -> None:
    from webapp.core import templating

    templating.register(app)


def register_cli(app: Flask) -> None:
    from webapp import cli

    cli.register(app)


def _locale() -> str:
    from flask import has_request_context

    if not has_request_context():  # worker and CLI (reminders, demo data): the default language
        return "fr"
    if current_user and current_user.is_authenticated:
        return current_user.language
    chosen = request.cookies.get("lang")
    return chosen if chosen in ("fr", "en") else "fr"


def _load_user(token: str):
    from webapp.accounts import devices

    return devices.user_for_token(token)


def _unauthorized():
    from flask import redirect, url_for

    from webapp.core.errors import error_response, wants_json

    if wants_json():
        return error_response(401)
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
