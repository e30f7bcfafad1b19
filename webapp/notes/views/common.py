"""The notes blueprint and what its pages share (labels, Markdown, loading or 404, deadlines)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from webapp.core.clock import to_paris
from webapp.notes import policy, rendering, service, wording
from webapp.notes.home import urgency_label
from webapp.notes.models import Note

bp = Blueprint("notes", __name__, url_prefix="/notes")

STATUS_LABELS = {
    "draft": "Brouillon", "submitted": "Délai à convenir", "returned": "Renvoyée à l’auteur",
    "sent": "Envoyée à l’élu·e", "question": "Question à l’auteur", "delegated": "Décision déléguée",
    "answered": "Avis rendu", "decided": "Décidée",
}


@bp.app_template_filter("markdown")
def markdown(text: str) -> Markup:
    return rendering.markdown(text)


@bp.app_context_processor
def _labels():
    return {"note_status_label": lambda s: _(STATUS_LABELS.get(s, s)), "urgency_label": urgency_label,
            "reader_status": lambda note: wording.reader_status(note, current_user)}


def _note_or_404(note_id, whole: bool = False) -> Note:
    note = service.get_note(note_id, whole=whole)
    if note is None:
        abort(404)
    if not policy.can_view(current_user, note):
        abort(403)
    return note


def _deadline(day: date | None, keep=None):
    """A day from a form, as the 18:00 Paris deadline; the same day as ``keep`` keeps ``keep`` exactly."""
    if day is None:
        return None
    if keep is not None and to_paris(keep).date() == day:
        return keep
    return service.deadline_from_day(day)
