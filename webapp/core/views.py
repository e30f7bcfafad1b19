"""Pages and files that belong to no domain: health check, language choice for anonymous visitors."""

from flask import Blueprint, jsonify, redirect, request, url_for
from flask_login import login_required
from marshmallow import fields, validate

from webapp.core.forms import read_form
from webapp.core.schemas import InSchema
from webapp.extensions import db

bp = Blueprint("core", __name__)


class LanguageForm(InSchema):
    language = fields.String(load_default="", validate=validate.Length(max=10))  # fr or en, else ignored


@bp.get("/healthz")
def health():
    db.session.execute(db.text("SELECT 1"))
    return jsonify(status="ok")


@bp.post("/language")
def language():
    """Anonymous visitors choose the interface language; signed-in people do it in their profile."""
    chosen = read_form(LanguageForm)["language"]
    response = redirect(request.referrer if _same_site(request.referrer) else url_for("accounts.login"))
    if chosen in ("fr", "en"):
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)


@bp.get("/api/v1/csrf-token")
def csrf_token():
    """A fresh CSRF token for scripts (the outbox replays writes long after the page was rendered)."""
    from flask_wtf.csrf import generate_csrf

    return jsonify(token=generate_csrf())


@bp.get("/api/v1/ping")
@login_required
def ping():
    """The cheapest signed-in request, the baseline of the benchmarks: the person is signed in as on
    every page (the session cookie, and its device still signed in: one statement), and nothing else
    is read; it answers nothing but "pong"."""
    return jsonify(status="pong")
