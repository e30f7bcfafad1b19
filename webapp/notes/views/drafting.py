"""Drafting a note: the form, saving, saving and submitting."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.errors import DomainError
from webapp.core.forms import read_form, refusal_errors, typed
from webapp.extensions import db
from webapp.notes import policy, service, situations
from webapp.notes.models import Note
from webapp.notes.schemas import (
    DraftForm,
)
from webapp.notes.views.common import _deadline, _note_or_404, bp
from webapp.organisation.models import Commission

# --- drafting -------------------------------------------------------------------------------------

def _draft_fields(note: Note | None, data: dict) -> dict:
    return {**data, "proposed_deadline": _deadline(data["proposed_deadline"], note.proposed_deadline if note else None),
            "commission_id": _lenient_uuid(data["commission_id"]),
            "situation_type_id": _lenient_uuid(data["situation_type_id"])}


def _lenient_uuid(value: str | None):
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _form_context(note: Note | None) -> dict:
    suggested = service.suggested_addressees(current_user)
    suggested_ids = {u.id for u in suggested}
    elus = suggested + [u for u in service.current_elus() if u.id not in suggested_ids]
    return {"note": note, "elus": elus, "suggested_ids": suggested_ids,
            "colleagues": [u for u in service.colleagues_of(current_user) if u.id != current_user.id],
            "commissions": db.session.scalars(db.select(Commission).order_by(Commission.name)).all(),
            "situations": situations.form_choices(note.author if note else current_user)}


@bp.get("/new")
@login_required
def new():
    if not policy.can_create(current_user):
        abort(403)
    return _draft_page(None)


@bp.get("/<uuid:note_id>/edit")
@login_required
def edit(note_id):
    return _draft_page(_editable(note_id))


def _editable(note_id) -> Note:
    note = _note_or_404(note_id)
    if not policy.can_edit(current_user, note):
        abort(403)
    return note


def _draft_page(note: Note | None, errors: dict | None = None, status: int = 200):
    form = typed() if request.method == "POST" else None
    return render_template("notes/form.html", errors=errors or {}, form=form, **_form_context(note)), status


# The draft form has two buttons: "save" posts to the form's own address, "submit" (``formaction``)
# to the same address followed by /submit; notes.js moves both once autosave has created the draft.

@bp.post("/new")
@login_required
def create():
    return _save_draft(None, submit=False)


@bp.post("/new/submit")
@login_required
def create_and_submit():
    return _save_draft(None, submit=True)


@bp.post("/<uuid:note_id>/edit")
@login_required
def update(note_id):
    return _save_draft(_editable(note_id), submit=False)


@bp.post("/<uuid:note_id>/edit/submit")
@login_required
def update_and_submit(note_id):
    return _save_draft(_editable(note_id), submit=True)


def _save_draft(note: Note | None, submit: bool):
    if note is None and not policy.can_create(current_user):
        abort(403)
    try:
        fields = _draft_fields(note, read_form(DraftForm))
        if note is None:
            note = service.create_note(current_user, **fields)
        else:
            service.update_note(current_user, note, **fields)
        if submit:
            service.submit(current_user, note)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        note = service.get_note(note.id) if note is not None and note.id else None
        return _draft_page(note, refusal_errors(exc), 422)
    if submit:
        flash(_("Note soumise.") if note.status == "submitted" else _("Note envoyée."), "success")
        return redirect(url_for("notes.show", note_id=note.id))
    flash(_("Brouillon enregistré."), "success")
    return redirect(url_for("notes.edit", note_id=note.id))
