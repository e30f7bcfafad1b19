"""The co-written mini-bilan (ETag-guarded), the evidence it compiles, its PDF joined to a note or an aperçu."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from webapp.accounts.models import User
from webapp.core import audit
from webapp.core.clock import to_paris, utcnow
from webapp.core.concurrency import compare_and_set
from webapp.core.errors import DomainError
from webapp.excursions.models import Excursion
from webapp.excursions.service.capture import missing_media
from webapp.extensions import db

# --- mini-bilan ----------------------------------------------------------------------------------------

def bilan_etag(excursion: Excursion) -> str:
    return f'"bilan-{excursion.bilan_revision}"'


def update_bilan(actor: User, excursion: Excursion, *, if_match: str | None, text: str, surprises: str) -> Excursion:
    """Save the mini-bilan if the writer edited the current revision; otherwise 412 with the current text.

    The check and the write are one compare-and-set on the excursion's version: of several writers of
    the same revision exactly one saves, the others are told (412), none is told "saved" and lost."""
    if not if_match:
        raise DomainError(_("Version du mini-bilan manquante (If-Match)."), status=428)
    return compare_and_set(lambda: _save_bilan(actor, excursion, if_match, text, surprises))


def _save_bilan(actor: User, excursion: Excursion, if_match: str, text: str, surprises: str) -> Excursion:
    if if_match.strip() != bilan_etag(excursion):
        raise BilanConflict(excursion)
    before = {"text": excursion.bilan_text, "surprises": excursion.bilan_surprises}
    excursion.bilan_text, excursion.bilan_surprises = text, surprises
    excursion.bilan_revision += 1
    excursion.bilan_updated_at, excursion.bilan_updated_by_id = utcnow(), actor.id
    db.session.flush()
    audit.record(actor, "excursion.bilan_saved", excursion, before=before,
                 after={"text": text, "surprises": surprises, "revision": excursion.bilan_revision})
    return excursion


class BilanConflict(DomainError):
    """Someone saved the mini-bilan since the writer loaded it; carries the current version."""

    code = "edit_conflict"

    def __init__(self, excursion: Excursion):
        name = excursion.bilan_updated_by.name if excursion.bilan_updated_by else ""
        super().__init__(_("%(name)s a modifié le mini-bilan pendant que vous écriviez. Votre version est "
                           "conservée : comparez puis enregistrez.", name=name), status=412)
        self.excursion = excursion


def compile_evidence(excursion: Excursion) -> dict:
    """What the mini-bilan compiles: gallery, recordings, answers by question, places, notes, consents."""
    items = excursion.items
    answers = {q.id: [] for q in excursion.questions}
    for item in items:
        if item.kind == "answer" and item.question_id in answers:
            answers[item.question_id].append(item)
    return {
        "photos": [i for i in items if i.kind == "photo" and i.media and i.media.complete],
        "audio": [i for i in items if i.kind == "audio" and i.media and i.media.complete],
        "answers": [(q, answers[q.id]) for q in excursion.questions],
        "places": [i for i in items if i.kind == "place" or (i.latitude is not None and i.kind != "place")],
        "notes": [i for i in items if i.kind == "text"],
        "consents": [i for i in items if i.kind == "consent"],
        "missing": missing_media(excursion),
    }


def attachable_notes(user: User) -> list:
    """The person's notes that can still take an attachment (drafts and returned notes)."""
    from webapp.notes import policy as notes_policy
    from webapp.notes import service as notes_service

    notes = db.session.scalars(notes_service.my_notes_query(user, within=50).limit(50)).all()
    return [n for n in notes if notes_policy.can_edit(user, n)]


def attach_bilan_to_note(actor: User, excursion: Excursion, note) -> object:
    """Join the mini-bilan as a PDF to a note being drafted (notes en stock), through its service."""
    from webapp.excursions.export import bilan_pdf
    from webapp.notes import policy as notes_policy
    from webapp.notes import service as notes_service

    if not notes_policy.can_edit(actor, note):
        raise DomainError(_("Cette note ne peut plus recevoir de pièce jointe."), status=403)
    attachment = notes_service.add_attachment(actor, note, _bilan_filename(excursion), bilan_pdf(excursion))
    audit.record(actor, "excursion.bilan_attached", excursion, after={"note": str(note.id)})
    return attachment


def attach_bilan_to_apercu(actor: User, excursion: Excursion, apercu) -> object:
    """Join the mini-bilan as a PDF to a commission dossier (an aperçu), through the commissions' service."""
    from webapp.commissions import policy as commissions_policy
    from webapp.commissions import service as commissions_service
    from webapp.excursions.export import bilan_pdf

    if not commissions_policy.can_attach_to_apercu(actor, apercu):
        raise DomainError(_("Vous ne pouvez pas joindre de document à ce dossier."), status=403)
    title = _("Mini-bilan de l’excursion « %(title)s » du %(day)s", title=excursion.title,
              day=format_date(to_paris(excursion.starts_at).date(), "d MMMM y"))
    attachment = commissions_service.attach_to_apercu(actor, apercu, title, _bilan_filename(excursion),
                                                      bilan_pdf(excursion))
    audit.record(actor, "excursion.bilan_attached", excursion, after={"apercu": str(apercu.id)})
    return attachment


def _bilan_filename(excursion: Excursion) -> str:
    return f"mini-bilan-{excursion.starts_at:%Y-%m-%d}.pdf"
