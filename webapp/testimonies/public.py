"""The public site "Ma vie d'élu local": no sign-in, no cookie, cacheable pages readable on a phone.

Pages per kind of body and per body (what it does, how often it meets, the time it takes, its posts, its
testimonies), a search by theme, a "candidats" page gathering every testimony, "chez nos voisins" (the
neighbours' testimonies, apart, with their source), the videos streamed with HTTP range requests, their
WebVTT captions and poster, and the open data as JSON. A withdrawn testimony is gone from all of them at
once: every page reads the status.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file, url_for
from flask_login import current_user

from webapp.core import uploads
from webapp.core.links import public_url
from webapp.organisation import labels
from webapp.organisation.models import BODY_KINDS
from webapp.testimonies import neighbours, policy, service
from webapp.testimonies.captions import webvtt

bp = Blueprint("testimonies_public", __name__, url_prefix="/temoignages")
# Shared caches may keep a copy but must ask again each time: a withdrawal is effective at once.
PUBLIC_CACHE = "public, no-cache"
LICENSE = "Licence Ouverte / Open Licence 2.0 (Etalab)"


def _public(response: Response | str) -> Response:
    response = response if isinstance(response, Response) else Response(response)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


def _page(template: str, **context) -> Response:
    return _public(render_template(f"testimonies/{template}", labels=labels, authority=_authority(), **context))


def _authority() -> str:
    return current_app.config["AUTHORITY_NAME"]


@bp.get("")
def index():
    bodies = service.public_bodies()
    theme = request.args.get("theme", "").strip()[:100]
    found = service.search(theme) if theme else None
    counts = {kind: sum(1 for b in bodies if b.kind == kind) for kind in BODY_KINDS}
    return _page("public_index.html", counts=counts, themes=service.themes(), theme=theme, found=found,
                 latest=service.published()[:6])


@bp.get("/instances/<kind>")
def kind_page(kind: str):
    if kind not in BODY_KINDS:
        abort(404)
    bodies = [b for b in service.public_bodies() if b.kind == kind]
    return _page("public_kind.html", kind=kind, bodies=bodies,
                 counts={b.id: len(service.published(b)) for b in bodies})


@bp.get("/instance/<uuid:body_id>")
def body_page(body_id):
    body = service.public_body(body_id) or abort(404)
    return _page("public_body.html", body=body, summary=service.body_summary(body),
                 testimonies=service.published(body), hours=sum(p.hours_per_month * p.seats for p in body.posts))


@bp.get("/t/<uuid:testimony_id>")
def testimony_page(testimony_id):
    testimony = service.public_testimony(testimony_id) or abort(404)
    return _page("public_testimony.html", t=testimony, body=service.public_body(testimony.body_id))


@bp.get("/candidats")
def candidates():
    bodies = service.public_bodies()
    groups = [(b, service.published(b)) for b in bodies]
    return _page("public_candidates.html", groups=[(b, ts) for b, ts in groups if ts])


@bp.get("/voisins")
def neighbours_page():
    return _page("public_neighbours.html", neighbours=[n for n in neighbours.neighbours() if n.testimonies])


def _viewable(testimony_id):
    """A published testimony for everyone; a draft for its collectors (the caption editor's preview)."""
    testimony = service.get(testimony_id)
    if testimony is None or testimony.files_dropped_at is not None:
        abort(404)
    if service.public_testimony(testimony_id) is None and not policy.can_collect(current_user):
        abort(404)
    return testimony


def _file_response(testimony_id, kind: str) -> Response:
    testimony = _viewable(testimony_id)
    file = testimony.file(kind)
    if file is None or not file.complete:
        abort(404)
    # conditional=True: Range requests are answered 206 with Content-Range (seeking, streaming on a phone).
    response = send_file(uploads.media_path(file), mimetype=file.content_type, conditional=True,
                         etag=file.sha256)
    response.headers["Cache-Control"] = PUBLIC_CACHE if testimony.status == "published" else "private, no-store"
    return response


@bp.get("/t/<uuid:testimony_id>/video")
def video(testimony_id):
    return _file_response(testimony_id, "video")


@bp.get("/t/<uuid:testimony_id>/poster")
def poster(testimony_id):
    return _file_response(testimony_id, "poster")


@bp.get("/t/<uuid:testimony_id>/sous-titres.vtt")
def captions(testimony_id):
    testimony = _viewable(testimony_id)
    response = Response(webvtt(testimony.cues), mimetype="text/vtt")
    response.headers["Cache-Control"] = PUBLIC_CACHE if testimony.status == "published" else "private, no-store"
    return response


def open_testimony(t, body) -> dict:
    poster = t.poster if t.poster is not None and t.poster.complete else None
    return {
        "id": str(t.id), "url": public_url("testimonies_public.testimony_page", testimony_id=t.id),
        "body": body.name, "body_kind": str(labels.KINDS[body.kind]), "theme": body.theme,
        "speaker_name": t.speaker_name, "speaker_role": t.speaker_role,
        "speaker_organisation": t.speaker_organisation, "recorded_on": t.recorded_on.isoformat(),
        "video": public_url("testimonies_public.video", testimony_id=t.id),
        "captions": public_url("testimonies_public.captions", testimony_id=t.id),
        "poster": public_url("testimonies_public.poster", testimony_id=t.id) if poster else None,
        "transcript": t.transcript,
    }


@bp.get("/donnees/temoignages.json")
def open_data():
    """Open data: the authority's published testimonies (withdrawn ones leave it at once)."""
    bodies = {b.id: b for b in service.public_bodies()}  # read once, not once per testimony
    items = [open_testimony(t, bodies[t.body_id]) for t in service.published() if t.body_id in bodies]
    body = {"authority": _authority(), "site": public_url("testimonies_public.index"), "license": LICENSE,
            "testimonies": items}
    response = Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


@bp.app_template_global()
def testimony_poster_url(t) -> str | None:
    poster = t.poster
    return url_for("testimonies_public.poster", testimony_id=t.id) if poster is not None and poster.complete else None
