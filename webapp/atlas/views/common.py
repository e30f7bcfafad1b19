"""The atlas blueprint and what its pages share (public caching, the euros filter)."""

from __future__ import annotations

from flask import Blueprint, Response, abort

from webapp.atlas import service
from webapp.organisation.models import Mandate

bp = Blueprint("atlas", __name__, url_prefix="/atlas")
PUBLIC_CACHE = "public, max-age=300"
LICENSE = "Licence Ouverte / Open Licence 2.0 (Etalab)"


def _public(response: Response) -> Response:
    # Public pages are the same for everyone: shared caches may keep them a few minutes.
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


def _public_mandate() -> Mandate:
    mandate = service.public_mandate()
    if mandate is None:
        abort(404)
    return mandate


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)
