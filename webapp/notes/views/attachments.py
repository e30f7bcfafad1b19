"""A draft's attachments: joining, removing, downloading."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.notes import policy, service
from webapp.notes.views.common import _note_or_404, bp
from webapp.notes.views.drafting import _form_context
from webapp.notes.views.note_page import _guard

# --- attachments --------------------------------------------------------------------------------

@bp.post("/<uuid:note_id>/attachments")
@login_required
def attach(note_id):
    note = _note_or_404(note_id)
    _guard(policy.can_edit(current_user, note))
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise DomainError(_("Choisissez un fichier."), fields={"file": [_("Obligatoire.")]}, status=422)
        try:
            data = upload.read(service.MAX_ATTACHMENT + 1)
        finally:
            upload.close()  # large uploads are spooled to a temporary file
        service.add_attachment(current_user, note, upload.filename, data)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        note = service.get_note(note_id)
        errors = {"message": exc.message, **exc.fields}
        return render_template("notes/form.html", errors=errors, form=None, **_form_context(note)), exc.status
    flash(_("Pièce jointe ajoutée."), "success")
    return redirect(url_for("notes.edit", note_id=note.id))


@bp.post("/<uuid:note_id>/attachments/<uuid:attachment_id>/delete")
@login_required
def detach(note_id, attachment_id):
    note = _note_or_404(note_id)
    item = next((a for a in note.attachments if a.id == attachment_id), None)
    if item is None:
        abort(404)
    _guard(policy.can_edit(current_user, note))
    service.remove_attachment(current_user, note, item)
    db.session.commit()
    flash(_("Pièce jointe retirée."), "success")
    return redirect(url_for("notes.edit", note_id=note.id))


@bp.get("/<uuid:note_id>/attachments/<uuid:attachment_id>")
@login_required
def attachment(note_id, attachment_id):
    """Download: only who may see the note; always as a download, never rendered inline."""
    note = _note_or_404(note_id)
    item = next((a for a in note.attachments if a.id == attachment_id), None)
    if item is None:
        abort(404)
    response = Response(item.data, mimetype=item.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(item.filename)}"
    response.headers["Cache-Control"] = "private, no-store"
    return response
