"""The assemblies service's pages: the list of testimonies and neighbours, the capture page (phone first,
offline: static/js/testimonies.js), and one page per testimony with the cue editor, the transcript and
the publish / withdraw buttons. One route per action; forms read through core.forms; refusals re-render
the page with their message and status."""

from __future__ import annotations

import functools

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core import uploads
from webapp.core.forms import commits, refusal_errors, typed, use_form
from webapp.extensions import db
from webapp.organisation import labels
from webapp.testimonies import neighbours, policy, service, tasks
from webapp.testimonies.captions import parse_timecode, timecode
from webapp.testimonies.models import Cue
from webapp.testimonies.schemas import CueForm, NeighbourForm, SummaryForm, TranscriptForm

bp = Blueprint("testimonies", __name__, url_prefix="/temoignages/gestion")


def _collectors_only(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not policy.can_collect(current_user):
            abort(403)
        return view(*args, **kwargs)

    return login_required(wrapper)


# --- the list, the neighbours, the bodies' summaries ------------------------------------------------------------

def _manage_page(errors: dict | None = None, form: str | None = None):
    return render_template(
        "testimonies/manage.html", testimonies=service.collected(), bodies=service.bodies(), labels=labels,
        summaries={b.id: service.body_summary(b) for b in service.bodies()}, neighbours=neighbours.neighbours(),
        errors=errors or {}, failed_form=form, values=typed() if errors else {})


@bp.get("")
@_collectors_only
def manage():
    return _manage_page()


def _manage_refused(form: str):
    return lambda errors, **kw: _manage_page(errors, form)


@bp.post("/voisins")
@_collectors_only
@use_form(NeighbourForm, on_error=_manage_refused("neighbour"))
@commits(lambda exc, **kw: _manage_page(refusal_errors(exc), "neighbour"))
def add_neighbour(data):
    neighbour = neighbours.add(current_user, data["name"], data["base_url"])
    db.session.commit()
    tasks.fetch_neighbour(str(neighbour.id))  # the worker fetches its open data now (at once in tests)
    flash(_("Site voisin ajouté : ses témoignages apparaîtront dès qu’ils auront été lus."), "success")
    return redirect(url_for("testimonies.manage") + "#neighbours")


@bp.post("/voisins/<uuid:neighbour_id>/remove")
@_collectors_only
@commits(lambda exc, **kw: _manage_page(refusal_errors(exc), "neighbour"))
def remove_neighbour(neighbour_id):
    neighbours.remove(current_user, neighbours.get(neighbour_id) or abort(404))
    db.session.commit()
    flash(_("Site voisin retiré."), "success")
    return redirect(url_for("testimonies.manage") + "#neighbours")


@bp.post("/voisins/<uuid:neighbour_id>/refresh")
@_collectors_only
def refresh_neighbour(neighbour_id):
    neighbour = neighbours.get(neighbour_id) or abort(404)
    tasks.fetch_neighbour(str(neighbour.id))
    flash(_("Lecture du site voisin demandée."), "success")
    return redirect(url_for("testimonies.manage") + "#neighbours")


@bp.post("/instances/<uuid:body_id>")
@_collectors_only
@use_form(SummaryForm, on_error=lambda errors, body_id: _manage_page(errors, f"body-{body_id}"))
@commits(lambda exc, body_id: _manage_page(refusal_errors(exc), f"body-{body_id}"))
def body_summary(data, body_id):
    body = next((b for b in service.bodies() if b.id == body_id), None) or abort(404)
    service.set_body_summary(current_user, body, data["summary"])
    db.session.commit()
    flash(_("Présentation de l’instance enregistrée."), "success")
    return redirect(url_for("testimonies.manage") + f"#body-{body_id}")


# --- capture (offline, on the phone) -----------------------------------------------------------------------------

@bp.get("/collecte")
@_collectors_only
def collect():
    return render_template("testimonies/collect.html", bodies=service.bodies(), labels=labels,
                           consent_text=service.CONSENT_TEXT,
                           chunk_bytes=current_app.config["TESTIMONY_CHUNK_BYTES"],
                           chunk_max_bytes=uploads.chunk_max_bytes(),
                           max_bytes=current_app.config["TESTIMONY_VIDEO_MAX_BYTES"])


# --- one testimony: captions, transcript, moderation ---------------------------------------------------------------

def _testimony(testimony_id):
    return service.get(testimony_id) or abort(404)


def _edit_page(testimony_id, errors: dict | None = None, form: str | None = None):
    testimony = _testimony(testimony_id)
    body = next((b for b in service.bodies() if b.id == testimony.body_id), None)
    return render_template("testimonies/edit.html", t=testimony, body=body, labels=labels, timecode=timecode,
                           missing=service.missing_for_publication(testimony), errors=errors or {},
                           failed_form=form, values=typed() if errors else {})


@bp.get("/<uuid:testimony_id>")
@_collectors_only
def edit(testimony_id):
    return _edit_page(testimony_id)


def _edit_refused(form: str):
    return lambda exc, testimony_id, **kw: _edit_page(testimony_id, refusal_errors(exc), form)


def _edit_invalid(form: str):
    return lambda errors, testimony_id, **kw: _edit_page(testimony_id, errors, form)


def _done(testimony_id, message: str, anchor: str = ""):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("testimonies.edit", testimony_id=testimony_id) + anchor)


@bp.post("/<uuid:testimony_id>/cues")
@_collectors_only
@use_form(CueForm, on_error=_edit_invalid("cue-new"))
@commits(_edit_refused("cue-new"))
def add_cue(data, testimony_id):
    service.add_cue(current_user, _testimony(testimony_id), parse_timecode(data["start"]),
                    parse_timecode(data["end"]), data["text"])
    return _done(testimony_id, _("Sous-titre ajouté."), "#cues")


def _cue(testimony_id, cue_id) -> Cue:
    cue = db.session.get(Cue, cue_id)
    if cue is None or cue.testimony_id != testimony_id:
        abort(404)
    return cue


@bp.post("/<uuid:testimony_id>/cues/<uuid:cue_id>")
@_collectors_only
@use_form(CueForm, on_error=lambda errors, testimony_id, cue_id: _edit_page(testimony_id, errors, f"cue-{cue_id}"))
@commits(lambda exc, testimony_id, cue_id: _edit_page(testimony_id, refusal_errors(exc), f"cue-{cue_id}"))
def update_cue(data, testimony_id, cue_id):
    service.update_cue(current_user, _cue(testimony_id, cue_id), parse_timecode(data["start"]),
                       parse_timecode(data["end"]), data["text"])
    return _done(testimony_id, _("Sous-titre modifié."), "#cues")


@bp.post("/<uuid:testimony_id>/cues/<uuid:cue_id>/remove")
@_collectors_only
@commits(lambda exc, testimony_id, cue_id: _edit_page(testimony_id, refusal_errors(exc), "cues"))
def remove_cue(testimony_id, cue_id):
    service.remove_cue(current_user, _cue(testimony_id, cue_id))
    return _done(testimony_id, _("Sous-titre supprimé."), "#cues")


@bp.post("/<uuid:testimony_id>/transcript")
@_collectors_only
@use_form(TranscriptForm, on_error=_edit_invalid("transcript"))
@commits(_edit_refused("transcript"))
def transcript(data, testimony_id):
    service.set_transcript(current_user, _testimony(testimony_id), data["transcript"])
    return _done(testimony_id, _("Transcription enregistrée."), "#transcript")


@bp.post("/<uuid:testimony_id>/publish")
@_collectors_only
@commits(_edit_refused("moderation"))
def publish(testimony_id):
    service.publish(current_user, _testimony(testimony_id))
    return _done(testimony_id, _("Témoignage publié sur le site public."))


@bp.post("/<uuid:testimony_id>/withdraw")
@_collectors_only
@commits(_edit_refused("moderation"))
def withdraw(testimony_id):
    service.withdraw(current_user, _testimony(testimony_id))
    return _done(testimony_id, _("Témoignage retiré du site public et des données ouvertes. Ses fichiers seront "
                                 "supprimés dans %(n)s jours.", n=current_app.config["TESTIMONY_DROP_DAYS"]))
