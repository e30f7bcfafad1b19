"""An élu asks for a later deadline; the author or the manager accepts or refuses, once."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.models import User
from webapp.core.audit import record
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set
from webapp.core.errors import Conflict
from webapp.extensions import db
from webapp.notes.models import Note, Renegotiation
from webapp.notes.service.common import _expect, _invalid, _snapshot, note_url
from webapp.push.service import notify


def request_renegotiation(actor: User, note: Note, deadline: datetime, argument: str,
                          now: datetime | None = None) -> Renegotiation:
    now = now or utcnow()
    return compare_and_set(lambda: _request_renegotiation(actor, note, deadline, argument, now))


def _request_renegotiation(actor, note, deadline, argument, now) -> Renegotiation:
    if note.pending_renegotiation is not None:
        raise Conflict(_("%(name)s a déjà demandé un délai supplémentaire : la demande attend une réponse.",
                         name=note.pending_renegotiation.requested_by.name), subject=note)
    _expect(note.status in ("sent", "answered", "question"), note)
    if deadline is None or note.deadline is None or deadline <= note.deadline:
        raise _invalid(_("Proposez une échéance plus tardive que l’actuelle."), deadline=_("Trop tôt."))
    if not (argument or "").strip():
        raise _invalid(_("Argumentez votre demande."), argument=_("Obligatoire."))
    item = Renegotiation(note=note, requested_by_id=actor.id, requested_by=actor, previous_deadline=note.deadline,
                         requested_deadline=deadline, argument=argument.strip(), created_at=now)
    db.session.add(item)
    note.updated_at = now  # one request at a time: the note's version decides between two phones
    db.session.flush()
    record(actor, "note.renegotiation_requested", note,
           after={"renegotiation": str(item.id), "requested_deadline": deadline, "argument": item.argument})
    notify([note.author, note.manager], kind="note.renegotiation", title=_l("Demande de délai supplémentaire"),
           body=_l("Un·e élu·e demande plus de temps pour répondre à une note."), url=note_url(note))
    return item


def settle_renegotiation(actor: User, note: Note, item: Renegotiation, accept: bool, comment: str = "",
                         now: datetime | None = None) -> Renegotiation:
    now = now or utcnow()
    return compare_and_set(lambda: _settle(actor, note, item, accept, comment, now))


def _settle(actor, note, item, accept, comment, now) -> Renegotiation:
    if item.status != "pending":
        name = item.settled_by.name if item.settled_by else ""
        message = (_("%(name)s a déjà accepté cette demande de délai.", name=name) if item.status == "accepted"
                   else _("%(name)s a déjà refusé cette demande de délai.", name=name))
        raise Conflict(message, subject=item)
    before = _snapshot(note)
    item.status = "accepted" if accept else "refused"
    item.settled_by_id = actor.id
    item.settled_by = actor
    item.settled_at = now
    item.comment = (comment or "").strip()
    if accept:
        note.deadline = item.requested_deadline
    note.updated_at = now  # settled once: the note's version decides between the author and the manager
    db.session.flush()
    record(actor, f"note.renegotiation_{item.status}", note, before=before,
           after={**_snapshot(note), "renegotiation": str(item.id), "comment": item.comment})
    title = _l("Délai supplémentaire accordé") if accept else _l("Délai supplémentaire refusé")
    notify(note.addressee_users, kind="note.renegotiation_settled", title=title,
           body=_l("Votre demande de délai a reçu une réponse."), url=note_url(note))
    return item
