"""The élu's side: the receipt, decisions, opinions, annotations, the question back and the author's reply.

**Question back.** While the author answers an élu's question the clock is paused: on the reply, the
deadline moves later by exactly the time the question waited. The élu is not penalised for the
service's delay, and the service keeps the time it agreed.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.models import User
from webapp.core.audit import record
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set, insert_once
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.notes import policy, rendering
from webapp.notes.models import Answer, Note, NoteAddressee
from webapp.notes.service.common import _answer_audience, _expect, _first_response, _invalid, _snapshot, note_url
from webapp.push.service import notify


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
    item.note = note  # joins the note's answers without reading them (only this one is answered)
    db.session.add(item)
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
