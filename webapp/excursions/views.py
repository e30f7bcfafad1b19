"""HTML pages of excursions pratiques: list, preparation form, the excursion page (protocol, invitation),
the capture page (works offline once opened: its script keeps captures in IndexedDB), the mini-bilan
with its PDF, and the quota compliance page of the assemblies service.

Plain POST forms calling the service; refusals re-render the page with the message (422).
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.commissions import service as commissions_service
from webapp.core.clock import PARIS, utcnow
from webapp.core.errors import DomainError
from webapp.core.forms import commits, read_form, refusal_errors, typed, use_form
from webapp.core.pagination import page_args, paginate
from webapp.excursions import media as media_store
from webapp.excursions import policy, quotas, service
from webapp.excursions.models import Excursion
from webapp.excursions.schemas import AttachForm, BilanForm, PreparationForm
from webapp.extensions import db

bp = Blueprint("excursions", __name__, url_prefix="/excursions")

TAGS = ("parole d’usager", "signal faible", "bonne pratique", "irritant", "chiffre clé", "à vérifier")
STATUS_LABELS = {"prepared": "Préparée", "done": "Réalisée", "cancelled": "Annulée"}
QUOTA_LABELS = {"ok": "À jour", "soon": "Échéance proche", "todo": "À prévoir", "behind": "En retard"}


@bp.app_context_processor
def _labels():
    return {"excursion_status_label": lambda s: _(STATUS_LABELS.get(s, s)),
            "quota_label": lambda s: _(QUOTA_LABELS.get(s, s))}


def _excursion_or_404(excursion_id) -> Excursion:
    excursion = service.get_excursion(excursion_id)
    if excursion is None:
        abort(404)
    if not policy.can_view(current_user, excursion):
        abort(403)
    return excursion


@bp.get("")
@login_required
def index():
    if not policy.sees_excursions(current_user) and not policy.can_view_compliance(current_user):
        abort(403)
    upcoming, past = service.upcoming_and_past(current_user, utcnow())
    return render_template("excursions/index.html", upcoming=upcoming, page=paginate(past, *page_args(20)),
                           can_create=policy.can_create(current_user),
                           can_compliance=policy.can_view_compliance(current_user))


# --- preparation ---------------------------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _form_fields(data: dict) -> dict:
    """The loaded preparation form, as the service takes it."""
    return {
        "title": data["title"].strip(),
        "dossier": data["dossier"].strip(),
        "elu_ids": data["elu_ids"],
        "starts_at": _starts_at(data["day"], data["time"]),
        "duration_minutes": data["duration_minutes"],
        "places": [{**p, "name": p["name"].strip(), "address": p["address"].strip()} for p in data["places"]],
        "people": [{**p, "name": p["name"].strip(), "role": p["role"].strip()} for p in data["people"]],
        "questions": _lines(data["questions"]),
        "checklist": _lines(data["checklist"]),
        "consent_text": data["consent_text"].strip(),
    }


def _starts_at(day, hour):
    """The visit's day and time, typed in Paris time, stored in UTC."""
    if day is None:
        return None
    hour = hour or time(9, 0)
    return datetime.combine(day, time(hour.hour, hour.minute), tzinfo=PARIS).astimezone(utcnow().tzinfo)


def _render_form(excursion=None, errors=None, status=200):
    return render_template("excursions/form.html", excursion=excursion, elus=service.eligible_elus(),
                           form=typed() if request.method == "POST" else None, errors=errors or {},
                           default_consent=service.default_consent_text()), status


def _new_invalid(errors: dict):
    if not policy.can_create(current_user):
        abort(403)
    return _render_form(errors={"message": _("Vérifiez les champs signalés."), **errors})[0]


def _new_refused(exc: DomainError):
    return _render_form(errors=refusal_errors(exc))[0]


def _edit_invalid(errors: dict, excursion_id):
    excursion = _excursion_or_404(excursion_id)
    if not policy.can_edit_preparation(current_user, excursion):
        abort(403)
    return _render_form(excursion, errors={"message": _("Vérifiez les champs signalés."), **errors})[0]


def _edit_refused(exc: DomainError, excursion_id):
    return _render_form(_excursion_or_404(excursion_id), errors=refusal_errors(exc))[0]


@bp.get("/new")
@login_required
def new():
    if not policy.can_create(current_user):
        abort(403)
    return _render_form()


@bp.post("/new")
@login_required
@use_form(PreparationForm, on_error=_new_invalid)
@commits(_new_refused)
def create(data):
    if not policy.can_create(current_user):
        abort(403)
    fields = _form_fields(data)
    if not fields["title"]:
        raise DomainError(_("Indiquez le sujet ou le dossier."), fields={"title": [_("Obligatoire.")]}, status=422)
    excursion = service.create_excursion(current_user, **fields)
    db.session.commit()
    flash(_("Excursion préparée ; les élus sont invités."), "success")
    return redirect(url_for("excursions.show", excursion_id=excursion.id))


@bp.get("/<uuid:excursion_id>/edit")
@login_required
def edit(excursion_id):
    excursion = _excursion_or_404(excursion_id)
    if not policy.can_edit_preparation(current_user, excursion):
        abort(403)
    return _render_form(excursion)


@bp.post("/<uuid:excursion_id>/edit")
@login_required
@use_form(PreparationForm, on_error=_edit_invalid)
@commits(_edit_refused)
def update(data, excursion_id):
    excursion = _excursion_or_404(excursion_id)
    if not policy.can_edit_preparation(current_user, excursion):
        abort(403)
    service.update_preparation(current_user, excursion, **_form_fields(data))
    db.session.commit()
    flash(_("Préparation enregistrée."), "success")
    return redirect(url_for("excursions.show", excursion_id=excursion.id))


# --- the excursion -------------------------------------------------------------------------------------

@bp.get("/<uuid:excursion_id>")
@login_required
def show(excursion_id):
    excursion = _excursion_or_404(excursion_id)
    mine = next((p for p in excursion.participants if p.user_id == current_user.id), None)
    return render_template("excursions/show.html", excursion=excursion, participant=mine, policy=policy,
                           now=utcnow(), missing=service.missing_media(excursion))


@bp.post("/<uuid:excursion_id>/acknowledge")
@login_required
def acknowledge(excursion_id):
    excursion = _excursion_or_404(excursion_id)
    if not policy.can_acknowledge(current_user, excursion):
        abort(403)
    service.acknowledge(current_user, excursion)
    flash(_("Merci : vous venez en observateur·rice."), "success")
    return redirect(url_for("excursions.show", excursion_id=excursion.id))


@bp.post("/<uuid:excursion_id>/done")
@login_required
def done(excursion_id):
    excursion = _excursion_or_404(excursion_id)
    if not policy.is_organiser(current_user, excursion):
        abort(403)
    try:
        service.mark_done(current_user, excursion)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("excursions.show", excursion_id=excursion.id))
    flash(_("Excursion marquée comme réalisée."), "success")
    return redirect(url_for("excursions.bilan", excursion_id=excursion.id))


@bp.post("/<uuid:excursion_id>/cancel")
@login_required
def cancel(excursion_id):
    excursion = _excursion_or_404(excursion_id)
    if not policy.is_organiser(current_user, excursion):
        abort(403)
    try:
        service.cancel(current_user, excursion)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("excursions.show", excursion_id=excursion.id))
    flash(_("Excursion annulée ; les élus sont prévenus."), "success")
    return redirect(url_for("excursions.show", excursion_id=excursion.id))


@bp.get("/<uuid:excursion_id>/invitation.ics")
@login_required
def invitation(excursion_id):
    excursion = _excursion_or_404(excursion_id)
    return Response(service.ics(excursion), mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="excursion-{excursion.id}.ics"'})


@bp.get("/capture")
@login_required
def capture_next():
    """The app's "Nouvelle capture" shortcut: the capture page of the person's next visit, or the choice
    among several. Rendered here, not redirected: the service worker keeps pages, not redirects."""
    now = utcnow()
    upcoming, _past = service.upcoming_and_past(current_user, now)
    mine = [e for e in upcoming if policy.can_capture(current_user, e)]  # soonest first
    today = now.astimezone(PARIS).date()
    if len(mine) == 1 or (mine and mine[0].starts_at.astimezone(PARIS).date() == today):
        return _capture_page(mine[0])
    return render_template("excursions/capture_choose.html", excursions=mine)


@bp.get("/<uuid:excursion_id>/capture")
@login_required
def capture(excursion_id):
    """The phone page: captures are kept on the device and sent when the server can be reached."""
    excursion = _excursion_or_404(excursion_id)
    if not policy.can_capture(current_user, excursion):
        abort(403)
    return _capture_page(excursion)


def _capture_page(excursion):
    config = current_app.config
    participant = next((p for p in excursion.participants if p.user_id == current_user.id), None)
    return render_template("excursions/capture.html", excursion=excursion, tags=TAGS, participant=participant,
                           photo_max_px=config["EXCURSION_PHOTO_MAX_PX"],
                           chunk_bytes=config["EXCURSION_CHUNK_BYTES"], chunk_max_bytes=media_store.chunk_max_bytes(),
                           bundle_limits=service.bundle_limits(), media_max_bytes=service.media_max_bytes())


# --- mini-bilan ----------------------------------------------------------------------------------------

def _render_bilan(excursion, conflict=None, mine=None, status=200):
    notes = service.attachable_notes(current_user) if policy.can_attach_bilan(current_user, excursion) else []
    apercus = commissions_service.attachable_apercus(current_user) \
        if policy.can_attach_bilan_to_dossier(current_user, excursion) else []
    return render_template("excursions/bilan.html", excursion=excursion, evidence=service.compile_evidence(excursion),
                           etag=service.bilan_etag(excursion), conflict=conflict, mine=mine or {}, notes=notes,
                           apercus=apercus,
                           can_edit=policy.can_edit_bilan(current_user, excursion), media_url=service.media_url), status


@bp.route("/<uuid:excursion_id>/bilan", methods=["GET", "POST"])
@login_required
def bilan(excursion_id):
    excursion = _excursion_or_404(excursion_id)
    if request.method == "GET":
        return _render_bilan(excursion)
    if not policy.can_edit_bilan(current_user, excursion):
        abort(403)
    form = read_form(BilanForm)
    mine = {"text": form["text"], "surprises": form["surprises"]}
    try:
        service.update_bilan(current_user, excursion, if_match=form["etag"], **mine)
    except service.BilanConflict as conflict:
        # Both versions are shown: the writer's text is put back in the form, the saved one beside it.
        return _render_bilan(excursion, conflict=conflict.message, mine=mine, status=412)
    flash(_("Mini-bilan enregistré."), "success")
    return redirect(url_for("excursions.bilan", excursion_id=excursion.id))


@bp.get("/<uuid:excursion_id>/bilan.pdf")
@login_required
def bilan_pdf(excursion_id):
    from webapp.excursions.export import bilan_pdf as render_pdf

    excursion = _excursion_or_404(excursion_id)
    return Response(render_pdf(excursion), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="mini-bilan-{excursion.id}.pdf"'})


@bp.post("/<uuid:excursion_id>/bilan/attach")
@login_required
def attach_bilan(excursion_id):
    """Join the mini-bilan's PDF to one of the organiser's notes being drafted."""
    from webapp.notes.service import get_note

    def done(note):
        flash(_("Mini-bilan joint à la note « %(title)s ».", title=note.title), "success")
        return redirect(f"/notes/{note.id}", 303)

    return _attach(excursion_id, policy.can_attach_bilan, get_note, "note_id", service.attach_bilan_to_note, done)


@bp.post("/<uuid:excursion_id>/bilan/attach-dossier")
@login_required
def attach_bilan_to_dossier(excursion_id):
    """Join the mini-bilan's PDF to a commission dossier (an aperçu)."""
    from webapp.commissions.service import get_apercu

    def done(apercu):
        flash(_("Mini-bilan joint au dossier « %(title)s ».", title=apercu.title), "success")
        return redirect(url_for("commissions.show_apercu", apercu_id=apercu.id), 303)

    return _attach(excursion_id, policy.can_attach_bilan_to_dossier, get_apercu, "apercu_id",
                   service.attach_bilan_to_apercu, done)


def _attach(excursion_id, allowed, load, field: str, attach, done):
    """Policy (403), the target named by the form (404), then the service; a refusal comes back as a message."""
    excursion = _excursion_or_404(excursion_id)
    if not allowed(current_user, excursion):
        abort(403)
    try:
        target = load(uuid.UUID(read_form(AttachForm)[field]))
    except ValueError:
        target = None
    if target is None:
        abort(404)
    try:
        attach(current_user, excursion, target)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("excursions.bilan", excursion_id=excursion.id), 303)
    return done(target)


# --- quotas --------------------------------------------------------------------------------------------

@bp.get("/compliance")
@login_required
def compliance():
    if not policy.can_view_compliance(current_user):
        abort(403)
    every, _ = quotas.settings()
    return render_template("excursions/compliance.html", rows=quotas.compliance(), every=every)
