"""Drafting a note, sending it to the author's manager, the deadline agreed (or amended, or the note returned).

**Author without a manager.** The deadline must be agreed by the author's *direct* manager
(003, "son supérieur hiérarchique direct"). When the author has none (a director general, an isolated
post), the author agrees the deadline themself: the note goes straight to the élu and the record says
so (``self_agreed``, event ``note.self_agreed``, shown on the note as "délai fixé par l'auteur"). We do
not guess a substitute: the services tree carries no "head of direction" field, and a wrong guess would
show the note to someone the policy must keep out.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.models import User
from webapp.core.audit import record
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set, insert_once
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.notes import situations
from webapp.notes.models import EDITABLE, Note, NoteAddressee, NoteOption
from webapp.notes.service.common import _expect, _invalid, _snapshot, deadline_from_day, known_empty, note_url
from webapp.notes.service.people import _check_elus, _check_not_cabinet, _users
from webapp.organisation.models import Commission
from webapp.push.service import notify

OPTION_LABELS = "ABCDEFGH"


def _apply_draft(note: Note, fields: dict) -> None:
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not title:
            raise _invalid(_("Le titre est obligatoire."), title=_("Obligatoire."))
        note.title = title[:200]
    if "body" in fields:
        note.body = fields["body"] or ""
    if "proposed_deadline" in fields:
        note.proposed_deadline = fields["proposed_deadline"]
    if "proposed_argument" in fields:
        note.proposed_argument = (fields["proposed_argument"] or "").strip()
    if "commission_id" in fields:
        if fields["commission_id"] is not None and db.session.get(Commission, fields["commission_id"]) is None:
            raise _invalid(_("Commission introuvable."), commission_id=_("Commission introuvable."))
        note.commission_id = fields["commission_id"]
    if "addressee_ids" in fields:
        elus = _users(fields["addressee_ids"])
        _check_elus(elus, "addressee_ids")
        note.addressees = [NoteAddressee(user_id=u.id, user=u) for u in elus]
    if "concerned_ids" in fields:
        people = _users(fields["concerned_ids"])
        _check_not_cabinet(people, "concerned_ids")
        note.concerned = people
    if "options" in fields:
        _set_options(note, fields["options"] or [])
    situations.apply_to_draft(note, fields, deadline_from_day)


def _set_options(note: Note, descriptions: list[str]) -> None:
    descriptions = [d.strip() for d in descriptions if d and d.strip()]
    if len(descriptions) == 1:
        raise _invalid(_("Proposez au moins deux options, ou aucune."), options=_("Au moins deux options."))
    if len(descriptions) > len(OPTION_LABELS):
        raise _invalid(_("Huit options au plus."), options=_("Trop d’options."))
    note.options.clear()
    db.session.flush()
    for position, text in enumerate(descriptions):
        note.options.append(NoteOption(label=OPTION_LABELS[position], description=text[:500], position=position))


def create_note(actor: User, *, id: uuid.UUID | None = None, **fields) -> Note:
    """A new draft by an agent. The client may supply the id (drafted offline): sent again with the
    same content (a phone's retry), the first note is the answer; with another content, 409."""
    if id is not None:
        existing = db.session.get(Note, id)
        if existing is not None:
            return _same_note(existing, actor, fields)

    def create() -> Note:
        note = Note(id=id or uuid.uuid4(), author_id=actor.id, author=actor, unit_id=actor.unit_id,
                    status="draft", title="")
        # Filled before it joins the session: the checks' queries do not flush it half-made (one INSERT,
        # no UPDATE after it).
        _apply_draft(note, {"title": fields.get("title", ""), **fields})
        db.session.add(note)
        db.session.flush()
        known_empty(note)
        record(actor, "note.created", note, after=_snapshot(note))
        return note

    note, created = insert_once(create, lambda: db.session.get(Note, id) if id is not None else None)
    return note if created else _same_note(note, actor, fields)


def _same_note(note: Note, actor: User, fields: dict) -> Note:
    """A replay of a creation: the same author and the same title and body, or 409."""
    same = (note.author_id == actor.id and note.title == (fields.get("title") or "").strip()[:200]
            and note.body == (fields.get("body") or ""))
    if not same:
        raise DomainError(_("Cette note existe déjà."), status=409)
    return note


def update_note(actor: User, note: Note, **fields) -> Note:
    before = _snapshot(note)
    _apply_draft(note, fields)
    db.session.flush()
    record(actor, "note.updated", note, before=before, after=_snapshot(note))
    return note


def _check_ready(note: Note, now: datetime) -> None:
    problems = {}
    if not note.addressees:
        problems["addressee_ids"] = [_("Choisissez au moins un·e élu·e destinataire.")]
    if note.proposed_deadline is None:
        problems["proposed_deadline"] = [_("Le délai de réponse proposé est obligatoire.")]
    elif note.proposed_deadline <= now:
        problems["proposed_deadline"] = [_("Le délai doit être dans le futur.")]
    if not note.proposed_argument.strip():
        problems["proposed_argument"] = [_("L’argument du délai est obligatoire.")]
    if not note.body.strip():
        problems["body"] = [_("Le texte de la note est obligatoire.")]
    problems.update(situations.deadline_problems(note, now) if "proposed_deadline" not in problems else {})
    if problems:
        raise DomainError(_("La note n’est pas prête à être soumise."), fields=problems, status=422)


def submit(actor: User, note: Note, now: datetime | None = None) -> Note:
    """Send the draft to the author's direct manager; without one, the author agrees it themself."""
    now = now or utcnow()
    return compare_and_set(lambda: _submit(actor, note, now))


def _submit(actor: User, note: Note, now: datetime) -> Note:
    _expect(note.status in EDITABLE, note)
    _check_ready(note, now)
    before = _snapshot(note)
    note.submitted_at = now
    note.return_comment = ""
    if actor.manager_id is None:
        note.manager_id = None
        record(actor, "note.submitted", note, before=before, after=_snapshot(note))
        return _agree(actor, note, now, note.proposed_deadline, note.proposed_argument, "", self_agreed=True)
    note.manager_id = actor.manager_id
    note.status = "submitted"
    db.session.flush()
    record(actor, "note.submitted", note, before=before, after={**_snapshot(note), "manager": str(note.manager_id)})
    notify([note.manager], kind="note.to_agree", title=_l("Délai à convenir"),
           body=_l("Une note de votre équipe attend votre accord sur son délai de réponse."), url=note_url(note))
    return note


def agree(actor: User, note: Note, *, deadline: datetime | None = None, argument: str | None = None,
          comment: str = "", now: datetime | None = None) -> Note:
    """The manager agrees the proposed deadline, or amends deadline and argument (a comment is then
    required, so that the author knows why)."""
    now = now or utcnow()
    return compare_and_set(lambda: _amend_and_agree(actor, note, now, deadline, argument, comment))


def _amend_and_agree(actor, note, now, deadline, argument, comment) -> Note:
    _expect(note.status == "submitted", note)
    deadline = deadline or note.proposed_deadline
    argument = (argument if argument is not None else note.proposed_argument).strip()
    amended = deadline != note.proposed_deadline or argument != note.proposed_argument
    if not argument:
        raise _invalid(_("L’argument du délai est obligatoire."), argument=_("Obligatoire."))
    if deadline is None or deadline <= now:
        raise _invalid(_("Le délai doit être dans le futur."), deadline=_("Date passée."))
    if amended and not (comment or "").strip():
        raise _invalid(_("Expliquez la modification du délai dans un commentaire."), comment=_("Obligatoire."))
    return _agree(actor, note, now, deadline, argument, (comment or "").strip(), self_agreed=False, amended=amended)


def _agree(actor, note, now, deadline, argument, comment, *, self_agreed: bool, amended: bool = False) -> Note:
    before = _snapshot(note)
    note.deadline = deadline
    note.deadline_argument = argument
    note.agreement_comment = comment
    note.agreed_by_id = actor.id
    note.agreed_at = now
    note.self_agreed = self_agreed
    note.status = "sent"
    note.sent_at = now
    db.session.flush()
    action = "note.self_agreed" if self_agreed else ("note.amended" if amended else "note.agreed")
    record(actor, action, note, before=before, after={**_snapshot(note), "comment": comment})
    record(actor, "note.sent", note, after={"addressees": [str(a.user_id) for a in note.addressees]})
    if not self_agreed:
        notify([note.author], kind="note.agreed", title=_l("Délai convenu"),
               body=_l("Votre encadrant·e a convenu du délai : la note est transmise."), url=note_url(note))
    notify(note.addressee_users, kind="note.received", title=_l("Nouvelle note à traiter"),
           body=_l("Une note vous attend, avec un délai de réponse convenu."), url=note_url(note))
    situations.route_sent(note, now, note_url(note))
    for hook in _sent_hooks:
        hook(note, now)
    return note


# Called with (note, now) once a note reaches its élus (the on-call routing plugs in here).
_sent_hooks: list = []


def on_sent(hook) -> None:
    if hook not in _sent_hooks:
        _sent_hooks.append(hook)


def return_to_author(actor: User, note: Note, comment: str) -> Note:
    return compare_and_set(lambda: _return_to_author(actor, note, comment))


def _return_to_author(actor: User, note: Note, comment: str) -> Note:
    _expect(note.status == "submitted", note)
    if not (comment or "").strip():
        raise _invalid(_("Dites à l’auteur ce qu’il faut reprendre."), comment=_("Obligatoire."))
    before = _snapshot(note)
    note.status = "returned"
    note.return_comment = comment.strip()
    db.session.flush()
    record(actor, "note.returned", note, before=before, after={**_snapshot(note), "comment": note.return_comment})
    notify([note.author], kind="note.returned", title=_l("Note renvoyée"),
           body=_l("Votre encadrant·e vous renvoie une note à reprendre."), url=note_url(note))
    return note
