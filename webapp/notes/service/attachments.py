"""Files joined to a draft: PDFs and images, recognised by their first bytes."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _

from webapp.accounts.models import User
from webapp.core.audit import record
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.notes.models import Note
from webapp.notes.service.common import _invalid

MAX_ATTACHMENT = 5 * 1024 * 1024
MAX_ATTACHMENTS = 10
# Recognised by their first bytes, not by what the client claims.
SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def _sniff(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)


def add_attachment(actor: User, note: Note, filename: str, data: bytes, id: uuid.UUID | None = None):
    """Join a PDF or an image (5 MB at most) to a draft."""
    import hashlib

    from webapp.notes.models import NoteAttachment

    if len(data) > MAX_ATTACHMENT:
        raise DomainError(_("Fichier trop volumineux : 5 Mo au plus par pièce jointe."),
                          fields={"file": [_("5 Mo au plus.")]}, status=413)
    kind = _sniff(data)
    if kind is None:
        raise _invalid(_("Seuls les PDF et les images (PNG, JPEG, WebP) sont acceptés."), file=_("Type refusé."))
    if len(note.attachments) >= MAX_ATTACHMENTS:
        raise _invalid(_("Dix pièces jointes au plus par note."), file=_("Trop de pièces jointes."))
    name = (filename or "piece-jointe").replace("/", "_").replace("\\", "_").strip()[:200] or "piece-jointe"
    item = NoteAttachment(id=id or uuid.uuid4(), note_id=note.id, filename=name, content_type=kind, size=len(data),
                          sha256=hashlib.sha256(data).hexdigest(), data=data, uploaded_by_id=actor.id)
    note.attachments.append(item)
    db.session.flush()
    record(actor, "note.attachment_added", note, after={"attachment": str(item.id), "filename": name,
                                                        "size": item.size})
    return item


def remove_attachment(actor: User, note: Note, item) -> None:
    note.attachments.remove(item)
    db.session.flush()
    record(actor, "note.attachment_removed", note, before={"attachment": str(item.id), "filename": item.filename})
