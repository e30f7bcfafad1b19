"""The rules of notes en stock (003:700-756) and every state transition. Views and the API only call these.

Two rules the source leaves open, chosen here:

* **Author without a manager.** The deadline must be agreed by the author's *direct* manager
  (003, "son supérieur hiérarchique direct"). When the author has none (a director general, an isolated
  post), the author agrees the deadline themself: the note goes straight to the élu and the record says
  so (``self_agreed``, event ``note.self_agreed``, shown on the note as "délai fixé par l'auteur"). We do
  not guess a substitute: the services tree carries no "head of direction" field, and a wrong guess would
  show the note to someone the policy must keep out.
* **Question back.** While the author answers an élu's question the clock is paused: on the reply, the
  deadline moves later by exactly the time the question waited. The élu is not penalised for the
  service's delay, and the service keeps the time it agreed.

The élu's response time (figures) runs from sending to the first decision, opinion or delegation.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer, joinedload, selectinload

from webapp.accounts.models import Commission, Elu, EluFunction, OrgUnit, User, delegation_unit
from webapp.accounts.roles import current_mandate, current_mandate_id, current_term, is_cabinet
from webapp.core.audit import record
from webapp.core.clock import PARIS, to_paris, utcnow
from webapp.core.concurrency import compare_and_set, insert_once
from webapp.core.errors import Conflict, DomainError
from webapp.core.pagination import Page, paginate_keys
from webapp.extensions import db
from webapp.notes import policy, rendering
from webapp.notes.models import (
    EDITABLE,
    IN_INBOX,
    OPEN,
    Answer,
    Delegation,
    Note,
    NoteAddressee,
    NoteOption,
    NoteReminder,
    Renegotiation,
    note_concerned,
)
from webapp.push.service import notify

OPTION_LABELS = "ABCDEFGH"
SOON = timedelta(days=3)
REMIND_BEFORE = timedelta(hours=24)
DEADLINE_HOUR = time(18, 0)  # a deadline given as a day means the end of that working day, Paris time


def _invalid(message: str, **fields) -> DomainError:
    return DomainError(message, fields={k: [v] for k, v in fields.items()}, status=422)


def note_url(note: Note) -> str:
    # A plain path: services run in the worker too, where no request exists to build URLs from.
    return f"/notes/{note.id}"


def deadline_from_day(day: date) -> datetime:
    """A deadline chosen as a day ends at 18:00 Paris time on that day."""
    return datetime.combine(day, DEADLINE_HOUR, tzinfo=PARIS).astimezone(utcnow().tzinfo)


def get_note(note_id, *, whole: bool = False) -> Note | None:
    """A note; ``whole`` loads everything its page shows, in a fixed number of statements whatever the
    number of addressees, answers, delegations or attachments."""
    return db.session.get(Note, note_id, options=_page_options() if whole else ())


def _page_options():
    # Options (8 at most) and attachments (10 at most) join the note's own statement: a bounded product.
    # Unbounded collections get one statement each, with the people they show joined in.
    return (joinedload(Note.author), joinedload(Note.unit).joinedload(OrgUnit.parent),
            joinedload(Note.options), joinedload(Note.attachments),
            selectinload(Note.addressees).joinedload(NoteAddressee.user),
            selectinload(Note.answers).joinedload(Answer.author),
            selectinload(Note.concerned),
            selectinload(Note.delegations).options(joinedload(Delegation.by), joinedload(Delegation.delegatees)),
            selectinload(Note.renegotiations).options(joinedload(Renegotiation.requested_by),
                                                      joinedload(Renegotiation.settled_by)))


# --- people ---------------------------------------------------------------------------------------

def _users(ids) -> list[User]:
    ids = list(dict.fromkeys(ids or []))
    if not ids:
        return []
    found = db.session.scalars(db.select(User).where(User.id.in_(ids), User.active.is_(True))).all()
    if len(found) != len(ids):
        raise _invalid(_("Une des personnes choisies est introuvable."), people=_("Personne introuvable."))
    return list(found)


def _check_elus(users: list[User], field: str) -> None:
    for user in users:
        if current_term(user) is None:
            raise _invalid(_("%(name)s n’est pas élu·e.", name=user.name), **{field: _("Choisissez des élus.")})


def _check_not_cabinet(users: list[User], field: str) -> None:
    # The cabinet is never associated with notes (DESIGN.md §1).
    for user in users:
        if is_cabinet(user):
            raise _invalid(_("Le cabinet n’est pas associé aux notes."), **{field: _("Personne non autorisée.")})


def current_elus() -> list[User]:
    """Élus of the current mandate, for the addressee and delegatee pickers."""
    mandate = current_mandate()
    if mandate is None:
        return []
    return list(db.session.scalars(db.select(User).join(Elu, Elu.user_id == User.id)
                                   .where(Elu.mandate_id == mandate.id, User.active.is_(True))
                                   .order_by(User.name)).all())


def colleagues_of(user: User) -> list[User]:
    """Agents of the person's direction (their service, its sibling services and the direction itself):
    who may be concerned by a note or receive a delegation. Never the cabinet."""
    unit = user.unit
    if unit is None or unit.kind == "cabinet":
        return []
    top = unit.parent if unit.parent is not None else unit
    unit_ids = [top.id] + [c.id for c in top.children]
    return list(db.session.scalars(db.select(User).where(
        User.active.is_(True), User.unit_id.in_(unit_ids)).order_by(User.name)).all())


def delegate_choices(author: User, actor: User) -> list[User]:
    """Who an élu may delegate a note's decision to, in one statement: the author's direction
    (as ``colleagues_of``), then the current élus; never the élu themself."""
    unit = author.unit
    colleague = db.false()
    if unit is not None and unit.kind != "cabinet":
        top = unit.parent_id or unit.id
        direction = db.select(OrgUnit.id).where(db.or_(OrgUnit.id == top, OrgUnit.parent_id == top))
        colleague = User.unit_id.in_(direction)
    seated = User.id.in_(db.select(Elu.user_id).where(Elu.mandate_id == current_mandate_id()))
    stmt = (db.select(User).where(User.active.is_(True), User.id != actor.id, db.or_(colleague, seated))
            .options(joinedload(User.unit)).order_by(db.case((colleague, 0), else_=1), User.name))
    return list(db.session.scalars(stmt).unique().all())


def suggested_addressees(author: User) -> list[User]:
    """The élus whose delegation covers the author's service or its direction."""
    if author.unit_id is None:
        return []
    unit_ids = [author.unit_id] + ([author.unit.parent_id] if author.unit and author.unit.parent_id else [])
    mandate = current_mandate()
    if mandate is None:
        return []
    return list(db.session.scalars(
        db.select(User).join(Elu, Elu.user_id == User.id).join(EluFunction, EluFunction.elu_id == Elu.id)
        .join(delegation_unit, delegation_unit.c.function_id == EluFunction.id)
        .where(delegation_unit.c.unit_id.in_(unit_ids), Elu.mandate_id == mandate.id, EluFunction.ended_on.is_(None))
        .distinct()
        .order_by(User.name)).all())


# --- once-only steps ------------------------------------------------------------------------------

def _verdict_label(answer: Answer) -> str:
    if answer.verdict == "option" and answer.option is not None:
        return _("option %(label)s", label=answer.option.label)
    return _("approuvé") if answer.verdict == "approve" else _("refusé")


def state_message(note: Note) -> str:
    """What happened to the note, named for the person whose action came too late."""
    if note.status == "decided" and note.decision is not None:
        return _("%(name)s a déjà décidé : %(what)s", name=note.decision.author.name,
                 what=_verdict_label(note.decision))
    if note.status == "delegated" and note.delegations:
        last = note.delegations[-1]
        return _("%(name)s a délégué la décision à %(to)s.", name=last.by.name,
                 to=", ".join(u.name for u in last.delegatees))
    if note.status == "question":
        return _("Une question attend la réponse de l’auteur : la note est en pause.")
    if note.status == "returned":
        return _("La note a été renvoyée à son auteur.")
    if note.status == "sent" and note.agreed_by is not None:
        return _("%(name)s a déjà convenu du délai : la note est transmise.", name=note.agreed_by.name)
    return _("La note a changé entre-temps : rechargez-la.")


def conflict(note: Note) -> Conflict:
    """409 with the note as it is now: the step was taken by someone else, or the note moved on."""
    return Conflict(state_message(note), subject=note)


def _expect(allowed: bool, note: Note) -> None:
    # Checked again inside the compare-and-set: the state read before the race may be gone.
    if not allowed:
        raise conflict(note)


# --- drafting -------------------------------------------------------------------------------------

def _snapshot(note: Note) -> dict:
    return {"status": note.status, "deadline": note.deadline, "deadline_argument": note.deadline_argument,
            "proposed_deadline": note.proposed_deadline}


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
        db.session.add(note)
        _apply_draft(note, {"title": fields.get("title", ""), **fields})
        db.session.flush()
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
    for hook in _sent_hooks:
        hook(note, now)
    return note


# Called with (note, now) when a note reaches its élus (the on-call routing plugs in here).
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


# --- attachments ----------------------------------------------------------------------------------

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


# --- the élu's side -------------------------------------------------------------------------------

def acknowledge(actor: User, note: Note, now: datetime | None = None) -> bool:
    """Record the accusé de réception at the first opening; later openings change nothing."""
    entry = next((a for a in note.addressees if a.user_id == actor.id), None)
    if entry is None or entry.acknowledged_at is not None:
        return False
    at = now or utcnow()
    # Set only if still unset, in the database: two phones opening the note at once record one receipt.
    stored = db.session.execute(
        db.update(NoteAddressee).where(NoteAddressee.note_id == note.id, NoteAddressee.user_id == actor.id,
                                       NoteAddressee.acknowledged_at.is_(None))
        .values(acknowledged_at=at).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(entry)
    if not stored:
        return False
    record(actor, "note.acknowledged", note, after={"by": str(actor.id), "at": at})
    return True


def _first_response(note: Note, now: datetime) -> None:
    if note.answered_at is None:
        note.answered_at = now


def _answer_audience(note: Note) -> list[User]:
    # Answers go straight to the author and the concerned agents, not back up the hierarchy (003:724-731).
    return [note.author, *note.concerned]


def answer(actor: User, note: Note, *, kind: str, text: str = "", verdict: str | None = None,
           option_id=None, option_label: str | None = None, quote: str | None = None, offset: int | None = None,
           id: uuid.UUID | None = None, now: datetime | None = None) -> Answer:
    """Record a decision, an opinion, an annotation or a question back.

    Under the client's id, the same answer sent again (a phone's retry, even while the first is still
    running) is the first one; another answer under that id is a 409. A step someone else took first
    (another élu decided, the note was delegated) is a 409 naming it, with the note as it is now."""
    now = now or utcnow()
    text = (text or "").strip()
    sent = {"kind": kind, "text": text, "verdict": verdict}

    def attempt() -> Answer:
        if id is not None and (existing := db.session.get(Answer, id)) is not None:
            return _same_answer(existing, actor, sent)
        item, created = insert_once(
            lambda: _answer(actor, note, kind=kind, text=text, verdict=verdict, option_id=option_id,
                            option_label=option_label, quote=quote, offset=offset, id=id, now=now),
            lambda: db.session.get(Answer, id) if id is not None else None)
        return item if created else _same_answer(item, actor, sent)

    return compare_and_set(attempt)


_ALLOWED = {"decision": policy.can_decide, "annotation": policy.can_annotate}


def _same_answer(existing: Answer, actor: User, sent: dict) -> Answer:
    if (existing.author_id, existing.kind, existing.text, existing.verdict) != (
            actor.id, sent["kind"], sent["text"], sent["verdict"] if sent["kind"] == "decision" else None):
        raise DomainError(_("Cette réponse est déjà enregistrée."), status=409)
    return existing


def _answer(actor: User, note: Note, *, kind, text, verdict, option_id, option_label, quote, offset, id,
            now) -> Answer:
    if kind in _ANSWER_TITLES:
        _expect(_ALLOWED.get(kind, policy.can_answer)(actor, note), note)
    # Attached to the note only once valid: a refused answer must leave nothing behind.
    item = Answer(id=id or uuid.uuid4(), note_id=note.id, author_id=actor.id, author=actor, kind=kind, text=text,
                  created_at=now)
    before = _snapshot(note)
    if kind == "decision":
        _decision(note, item, verdict, option_id, option_label, now)
    elif kind == "opinion":
        if not text:
            raise _invalid(_("Écrivez votre avis."), text=_("Obligatoire."))
        _first_response(note, now)
        note.status = "answered"
    elif kind == "annotation":
        _annotation(note, item, quote, offset)
    elif kind == "question":
        if not text:
            raise _invalid(_("Écrivez votre question."), text=_("Obligatoire."))
        note.status = "question"
        note.paused_at = now
    else:
        raise _invalid(_("Type de réponse inconnu."), kind=_("Invalide."))
    note.answers.append(item)
    db.session.flush()
    record(actor, f"note.{kind}", note, before=before, after={
        **_snapshot(note), "answer": str(item.id), "verdict": item.verdict,
        "option": item.option.label if item.option else None, "quote": item.quote})
    _notify_answer(note, kind)
    return item


def _decision(note: Note, item: Answer, verdict, option_id, option_label, now) -> None:
    if verdict not in ("approve", "reject", "option"):
        raise _invalid(_("Choisissez : approuver, refuser ou une option."), verdict=_("Obligatoire."))
    if verdict == "option":
        option = next((o for o in note.options if (option_id and o.id == option_id)
                       or (option_label and o.label == option_label.upper())), None)
        if option is None:
            raise _invalid(_("Choisissez une des options de la note."), option=_("Option inconnue."))
        item.option = option
        item.option_id = option.id
    item.verdict = verdict
    _first_response(note, now)
    note.decided_at = now
    note.status = "decided"


def _annotation(note: Note, item: Answer, quote: str | None, offset: int | None) -> None:
    quote = (quote or "").strip()
    if not quote:
        raise _invalid(_("Citez le passage annoté."), quote=_("Obligatoire."))
    if not item.text:
        raise _invalid(_("Écrivez votre annotation."), text=_("Obligatoire."))
    found = note.body.find(quote, offset) if offset is not None and offset >= 0 else -1
    if found != offset:
        found = note.body.find(quote)
    if found < 0:
        # Selected on screen: across bold text or a list, the quote has no Markdown marks. It is kept as
        # read, without an offset in the source.
        if rendering.squash(quote) not in rendering.plain_text(note.body):
            raise _invalid(_("Ce passage ne figure pas dans la note."), quote=_("Passage introuvable."))
        found = None
    item.quote = quote
    item.offset = found


# Lazy: ``notify`` renders them in each recipient's language.
_ANSWER_TITLES = {
    "decision": (_l("Décision rendue"), _l("L’élu·e a rendu sa décision sur une note.")),
    "opinion": (_l("Avis rendu"), _l("L’élu·e a donné son avis sur une note.")),
    "annotation": (_l("Annotation ajoutée"), _l("Un passage d’une note a été annoté.")),
    "question": (_l("Question sur une note"), _l("L’élu·e vous pose une question : la note attend votre réponse.")),
}


def _notify_answer(note: Note, kind: str) -> None:
    title, body = _ANSWER_TITLES[kind]
    audience = [note.author] if kind == "question" else _answer_audience(note)
    notify(audience, kind=f"note.{kind}", title=title, body=body, url=note_url(note))


def reply(actor: User, note: Note, text: str, now: datetime | None = None) -> Answer:
    """The author answers the question back; the note returns to the inbox and the deadline moves
    later by the time the question waited (the clock was paused)."""
    now = now or utcnow()
    return compare_and_set(lambda: _reply(actor, note, text, now))


def _reply(actor: User, note: Note, text: str, now: datetime) -> Answer:
    _expect(note.status == "question", note)
    text = (text or "").strip()
    if not text:
        raise _invalid(_("Écrivez votre réponse."), text=_("Obligatoire."))
    before = _snapshot(note)
    paused = now - note.paused_at if note.paused_at else timedelta(0)
    if note.deadline is not None:
        note.deadline = note.deadline + paused
    note.paused_at = None
    note.status = "answered" if note.answered_at else "sent"
    item = Answer(note_id=note.id, author_id=actor.id, author=actor, kind="reply", text=text, created_at=now)
    note.answers.append(item)
    db.session.flush()
    record(actor, "note.reply", note, before=before,
           after={**_snapshot(note), "paused_seconds": paused.total_seconds()})
    notify(note.addressee_users, kind="note.reply", title=_l("Réponse à votre question"),
           body=_l("L’auteur a répondu : la note revient dans votre boîte."), url=note_url(note))
    return item


def delegate(actor: User, note: Note, delegatee_ids, instructions: str, now: datetime | None = None) -> Delegation:
    """The élu hands the decision to agents or another élu; they record the decision."""
    now = now or utcnow()
    return compare_and_set(lambda: _delegate(actor, note, delegatee_ids, instructions, now))


def _delegate(actor: User, note: Note, delegatee_ids, instructions: str, now: datetime) -> Delegation:
    _expect(policy.can_delegate(actor, note), note)
    people = _users(delegatee_ids)
    if not people:
        raise _invalid(_("Choisissez à qui déléguer."), delegatee_ids=_("Obligatoire."))
    _check_not_cabinet(people, "delegatee_ids")
    if any(p.id == actor.id for p in people):
        raise _invalid(_("Vous ne pouvez pas vous déléguer la décision."), delegatee_ids=_("Invalide."))
    if not (instructions or "").strip():
        raise _invalid(_("Donnez vos consignes."), instructions=_("Obligatoire."))
    before = _snapshot(note)
    item = Delegation(note=note, by_id=actor.id, by=actor, instructions=instructions.strip(), delegatees=people,
                      created_at=now)
    db.session.add(item)
    _first_response(note, now)
    note.status = "delegated"
    db.session.flush()
    record(actor, "note.delegated", note, before=before,
           after={**_snapshot(note), "delegatees": [str(p.id) for p in people]})
    notify(people, kind="note.delegated_to_you", title=_l("Décision déléguée"),
           body=_l("Un·e élu·e vous délègue une décision."), url=note_url(note))
    notify(_answer_audience(note), kind="note.delegated", title=_l("Note déléguée"),
           body=_l("L’élu·e a délégué la décision."), url=note_url(note), exclude=None)
    return item


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


# --- urgency, lists -------------------------------------------------------------------------------

LOOK_AHEAD = 300  # notes a bounded count looks past the current page: ten pages of the inbox


def urgency(note: Note, now: datetime | None = None) -> str:
    """overdue | today | soon | later for notes waiting for an answer; paused; done."""
    now = now or utcnow()
    if note.status in ("answered", "decided"):
        return "done"
    if note.status == "question":
        return "paused"
    if note.deadline is None:
        return "later"
    if note.deadline < now:
        return "overdue"
    if to_paris(note.deadline).date() == to_paris(now).date():
        return "today"
    if note.deadline - now <= SOON:
        return "soon"
    return "later"


def _row_options():
    # What a list row shows (author, service), joined in the same statement: no N+1 whatever the page size.
    # The body is not shown in lists: leave it in the database.
    return (joinedload(Note.author), joinedload(Note.unit), defer(Note.body), defer(Note.proposed_argument),
            defer(Note.agreement_comment), defer(Note.return_comment))


def inbox_query(user: User, *, within: int | None = None, **filters):
    """The élu's inbox (see ``_inbox_ids``), notes with what their row shows."""
    mine = _inbox_ids(user, within=within, **filters)
    return _inbox_notes(mine).order_by(*_inbox_order(mine))


def _inbox_order(keys):
    return keys.c.rank, keys.c.deadline, keys.c.note_id


def _inbox_notes(keys):
    return db.select(Note).join(keys, Note.id == keys.c.note_id).options(*_row_options())


def _inbox_ids(user: User, *, status: str | None = None, unit_id=None, commission_id=None, q: str | None = None,
               within: int | None = None):
    """The élu's inbox (and a delegatee's): open notes first by deadline, then the answered ones.

    Two sides, each read in inbox order and cut at ``within`` rows (the rows up to the end of the page
    asked for, plus what a bounded count looks ahead): the notes addressed to the person, one range of
    ``ix_note_addressee_inbox`` (the note's rank and deadline are copied there), and the few decisions
    delegated to them. Then only the notes of the page are read: the cost follows the page, not the
    number of notes in the box or in the authority.
    """
    from webapp.notes.models import delegation_delegatee

    rank = db.case((Note.status.in_(OPEN), 0), else_=1)
    addressed = (db.select(NoteAddressee.note_id.label("note_id"), NoteAddressee.inbox_rank.label("rank"),
                           NoteAddressee.deadline.label("deadline"))
                 .where(NoteAddressee.user_id == user.id, NoteAddressee.inbox_rank.is_not(None))
                 .order_by(NoteAddressee.inbox_rank, NoteAddressee.deadline, NoteAddressee.note_id))
    if status == "open":
        addressed = addressed.where(NoteAddressee.inbox_rank == 0)
    delegated = (db.select(Note.id.label("note_id"), rank.label("rank"), Note.deadline.label("deadline"))
                 .join(Delegation, Delegation.note_id == Note.id)
                 .join(delegation_delegatee, delegation_delegatee.c.delegation_id == Delegation.id)
                 .where(delegation_delegatee.c.user_id == user.id, Note.status.in_(IN_INBOX),
                        ~db.select(NoteAddressee.note_id).where(NoteAddressee.note_id == Note.id,
                                                                NoteAddressee.user_id == user.id).exists())
                 .order_by(rank, Note.deadline, Note.id).distinct())
    if status or unit_id or commission_id or q:
        addressed = _filters(addressed.join(Note, Note.id == NoteAddressee.note_id), status, unit_id,
                             commission_id, q)
        delegated = _filters(delegated, status, unit_id, commission_id, q)
    if within is not None:
        addressed, delegated = addressed.limit(within), delegated.limit(within)
    # Each side as its own subquery keeps its ORDER BY and LIMIT (SQLite refuses them in a bare UNION).
    return db.union_all(*(db.select(side.subquery()) for side in (addressed, delegated))).subquery()


def inbox_filter_choices() -> dict[str, list]:
    """The services and commissions the inbox filters by, in one statement (rows with ``id``, ``name``)."""
    rows = db.session.execute(db.union_all(
        db.select(db.literal("units").label("list"), OrgUnit.id.label("id"), OrgUnit.name.label("name"))
        .where(OrgUnit.kind == "service"),
        db.select(db.literal("commissions"), Commission.id, Commission.name)).order_by("list", "name")).all()
    return {name: [r for r in rows if r.list == name] for name in ("units", "commissions")}


def inbox_page(user: User, page: int, per_page: int, **filters) -> Page:
    """One page of the inbox with a bounded count (up to ``LOOK_AHEAD`` notes past the page)."""
    within = page * per_page + LOOK_AHEAD
    return paginate_keys(_inbox_ids(user, within=within, **filters), _inbox_order, _inbox_notes, page, per_page,
                         bound=within)


def _filters(stmt, status, unit_id, commission_id, q):
    if status == "open":
        stmt = stmt.where(Note.status.in_(OPEN))
    elif status:
        stmt = stmt.where(Note.status == status)
    if unit_id:
        stmt = stmt.where(Note.unit_id == unit_id)
    if commission_id:
        stmt = stmt.where(Note.commission_id == commission_id)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(db.or_(db.func.lower(Note.title).like(like), db.func.lower(Note.body).like(like)))
    return stmt


def my_notes_query(user: User, *, within: int | None = None, **filters):
    """An agent's notes (see ``_my_note_ids``), with what their row shows."""
    mine = _my_note_ids(user, within=within, **filters)
    return _my_notes(mine).order_by(*_my_order(mine))


def _my_order(keys):
    return keys.c.updated_at.desc(), keys.c.id.desc()


def _my_notes(keys):
    return db.select(Note).join(keys, Note.id == keys.c.id).options(*_row_options())


def _my_note_ids(user: User, *, status: str | None = None, q: str | None = None, within: int | None = None):
    """Notes an agent wrote, must agree, or is concerned by, the latest changed first.

    Three sides, each read newest first and cut at ``within`` rows: written (``ix_note_author_updated``),
    to agree (``ix_note_manager_updated``), concerned by; then only the notes of the page are read.
    """
    order = (Note.updated_at.desc(), Note.id.desc())
    concerned = db.select(note_concerned.c.note_id).where(note_concerned.c.user_id == user.id)
    sides = [
        db.select(Note.id, Note.updated_at).where(Note.author_id == user.id),
        db.select(Note.id, Note.updated_at).where(Note.manager_id == user.id, Note.status.not_in(EDITABLE)),
        db.select(Note.id, Note.updated_at).where(Note.id.in_(concerned), Note.status.in_(IN_INBOX)),
    ]
    sides = [_filters(side, status, None, None, q).order_by(*order) for side in sides]
    if within is not None:
        sides = [side.limit(within) for side in sides]
    return db.union(*(db.select(side.subquery()) for side in sides)).subquery()  # a note on two sides once


def my_notes_page(user: User, page: int, per_page: int, **filters) -> Page:
    """One page of an agent's notes with a bounded count (as ``inbox_page``)."""
    within = page * per_page + LOOK_AHEAD
    return paginate_keys(_my_note_ids(user, within=within, **filters), _my_order, _my_notes, page, per_page,
                         bound=within)


def notes_to_agree(user: User) -> list[Note]:
    return list(db.session.scalars(db.select(Note).where(Note.manager_id == user.id, Note.status == "submitted")
                                   .order_by(Note.submitted_at)).all())


def author_todo(user: User) -> list[Note]:
    return list(db.session.scalars(db.select(Note).where(
        Note.author_id == user.id, Note.status.in_(("draft", "returned", "question"))).order_by(Note.updated_at)).all())


def delegated_to(user: User) -> list[Note]:
    """Decisions delegated to this person that still wait for them."""
    from webapp.notes.models import delegation_delegatee

    mine = (db.select(Delegation.note_id).join(delegation_delegatee,
                                               delegation_delegatee.c.delegation_id == Delegation.id)
            .where(delegation_delegatee.c.user_id == user.id))
    return list(db.session.scalars(db.select(Note).where(Note.id.in_(mine), Note.status == "delegated")
                                   .order_by(Note.deadline)).all())


def timeline(note: Note) -> list[dict]:
    """Every step of the note, oldest first, with who did it."""
    from webapp.core.models import AuditEvent

    # The events and their actors in one statement (as ``audit.history``, oldest first).
    rows = db.session.execute(
        db.select(AuditEvent, User).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.subject_type == type(note).__name__, AuditEvent.subject_id == str(note.id))
        .order_by(AuditEvent.at)).all()
    return [{"at": e.at, "action": e.action, "actor": actor, "after": e.after or {}} for e, actor in rows]


# --- reminders ------------------------------------------------------------------------------------

def _reminded(note: Note, step: str) -> bool:
    return db.session.scalar(db.select(NoteReminder.id).where(
        NoteReminder.note_id == note.id, NoteReminder.step == step, NoteReminder.deadline == note.deadline)) is not None


def _actors(note: Note) -> list[User]:
    # Whoever must act now: the delegatees once delegated, otherwise the addressee élus.
    return note.delegatees if note.status == "delegated" else note.addressee_users


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind 24 h before and at the deadline; escalate once overdue (author and manager told).

    Each step is recorded per deadline value, so running the scan again never repeats a reminder.
    A paused note (question back) gets none. Returns how many steps were sent.
    """
    now = now or utcnow()
    notes = db.session.scalars(db.select(Note).where(Note.status.in_(("sent", "delegated")),
                                                     Note.deadline <= now + REMIND_BEFORE)).all()
    sent = 0
    for note in notes:
        for step in _steps_due(note, now):
            if _reminded(note, step):
                continue
            db.session.add(NoteReminder(note_id=note.id, step=step, deadline=note.deadline, sent_at=now))
            _send_step(note, step)
            record(None, f"note.reminder_{step}", note, after={"deadline": note.deadline})
            sent += 1
    db.session.flush()
    return sent


def _steps_due(note: Note, now: datetime) -> list[str]:
    overdue_after = timedelta(hours=1)  # "at the deadline" first, escalation once it is clearly missed
    steps = []
    if now >= note.deadline - REMIND_BEFORE and now < note.deadline:
        steps.append("before")
    if now >= note.deadline:
        steps.append("due")
    if now >= note.deadline + overdue_after:
        steps.append("overdue")
    return steps


def _send_step(note: Note, step: str) -> None:
    url = note_url(note)
    if step == "before":
        notify(_actors(note), kind="note.reminder", title=_l("Échéance demain"),
               body=_l("Une note attend votre réponse dans moins de 24 heures."), url=url)
    elif step == "due":
        notify(_actors(note), kind="note.due", title=_l("Échéance atteinte"),
               body=_l("Le délai de réponse d’une note est atteint."), url=url)
    else:
        notify(_actors(note), kind="note.overdue", title=_l("Note en retard"),
               body=_l("Le délai de réponse convenu est dépassé."), url=url)
        notify([note.author, note.manager], kind="note.overdue_escalation", title=_l("Note en retard"),
               body=_l("Une note de votre service attend toujours sa réponse après le délai convenu."), url=url)


# --- figures --------------------------------------------------------------------------------------

def figures(now: datetime | None = None) -> dict:
    """Per élu and per service: notes received, median response time (hours), share answered on
    time, delegations, renegotiations. Aggregates only: no title, no content.

    Reads a few columns per note, not the notes: the figures cover the whole history (tens of
    thousands of notes), and the median has no portable SQL form, so it is computed here.
    """
    now = now or utcnow()
    delegations, renegotiations = _count_per_note(Delegation), _count_per_note(Renegotiation)
    stmt = (db.select(Note.id, Note.unit_id, Note.sent_at, Note.answered_at, Note.deadline,
                      db.func.coalesce(delegations.c.n, 0), db.func.coalesce(renegotiations.c.n, 0))
            .outerjoin(delegations, delegations.c.note_id == Note.id)
            .outerjoin(renegotiations, renegotiations.c.note_id == Note.id)
            .where(Note.sent_at.is_not(None)))
    facts, per_unit = {}, defaultdict(list)
    for note_id, unit_id, *columns in db.session.execute(stmt):
        facts[note_id] = _Facts(*columns)
        per_unit[unit_id].append(facts[note_id])
    per_elu: dict = defaultdict(list)
    for note_id, user_id in db.session.execute(db.select(NoteAddressee.note_id, NoteAddressee.user_id)
                                               .join(Note).where(Note.sent_at.is_not(None))):
        per_elu[user_id].append(facts[note_id])
    names = dict(db.session.execute(db.select(User.id, User.name).where(User.id.in_(list(per_elu)))).all())
    paths = {u.id: u.path for u in db.session.scalars(db.select(OrgUnit).where(
        OrgUnit.id.in_([i for i in per_unit if i])).options(joinedload(OrgUnit.parent)))}
    elus = [_row(i, names.get(i, "?"), group, now) for i, group in per_elu.items()]
    services = [_row(i, paths.get(i, _("Sans service")), group, now) for i, group in per_unit.items()]
    return {"elus": sorted(elus, key=lambda r: r["name"]), "services": sorted(services, key=lambda r: r["name"])}


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the figures need of one note."""

    sent_at: datetime
    answered_at: datetime | None
    deadline: datetime | None
    delegations: int
    renegotiations: int


def _count_per_note(model):
    return db.select(model.note_id, db.func.count().label("n")).group_by(model.note_id).subquery()


def _row(key, name: str, notes: list[_Facts], now: datetime) -> dict:
    hours = [(n.answered_at - n.sent_at).total_seconds() / 3600 for n in notes if n.answered_at]
    judged = [n for n in notes if n.answered_at or (n.deadline and n.deadline < now)]
    on_time = [n for n in judged if n.answered_at and n.deadline and n.answered_at <= n.deadline]
    return {
        "id": str(key) if key else None, "name": name, "notes": len(notes), "answered": len(hours),
        "median_response_hours": round(statistics.median(hours), 1) if hours else None,
        "on_time_share": round(len(on_time) / len(judged), 2) if judged else None,
        "delegations": sum(n.delegations for n in notes),
        "renegotiations": sum(n.renegotiations for n in notes),
    }
