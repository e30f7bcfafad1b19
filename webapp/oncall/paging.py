"""Urgent notes go to the person on call now, by push, and escalate along the rota when not acknowledged.

Paging someone makes them an addressee of the note (so that opening it is their accusé de réception),
sends a content-free notification, writes ``oncall_paged`` (step 0) or ``oncall_escalated`` into the note's
history, and schedules ``tasks.escalate`` after the rota's delay. The escalation is safe to run twice or
in two workers at once: the page is claimed by a conditional UPDATE of its ``checked_at``, and each step of
a note is one row under the unique ``(note_id, step)``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from webapp.accounts.models import OrgUnit, User
from webapp.core.audit import record
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes.models import OPEN, Note, NoteAddressee
from webapp.oncall.models import Page, Rota
from webapp.oncall.rotation import RotaState
from webapp.push.service import notify

# Called with a page after it is stored, to schedule its escalation (tasks.py plugs the huey task here).
_schedulers: list = []


def on_new_page(schedule) -> None:
    if schedule not in _schedulers:
        _schedulers.append(schedule)


def rota_for_unit(unit: OrgUnit | None) -> Rota | None:
    """The rota of the service, else of its direction (the first one up the services tree)."""
    seen = set()
    while unit is not None and unit.id not in seen:
        seen.add(unit.id)
        rota = db.session.scalar(db.select(Rota).where(Rota.unit_id == unit.id).order_by(Rota.created_at).limit(1))
        if rota is not None:
            return rota
        unit = unit.parent
    return None


def pages_of(note: Note) -> list[Page]:
    return list(db.session.scalars(db.select(Page).where(Page.note_id == note.id).order_by(Page.step)).all())


def _note_url(note: Note) -> str:
    return f"/notes/{note.id}"


def _make_addressee(note: Note, user: User) -> None:
    if not any(a.user_id == user.id for a in note.addressees):
        note.addressees.append(NoteAddressee(user_id=user.id, user=user))
        db.session.flush()


def _store(note: Note, rota: Rota, step: int, user: User, now: datetime) -> Page | None:
    """The page of this step, or None when another worker stored it first (unique note × step)."""
    page = Page(note_id=note.id, rota_id=rota.id, step=step, user_id=user.id, paged_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(page)
    except IntegrityError:
        return None
    return page


def _announce(note: Note, page: Page, user: User, previous: User | None) -> None:
    _make_addressee(note, user)
    if previous is None:
        notify([user], kind="oncall.paged", title=_l("Astreinte : note urgente"),
               body=_l("Vous êtes d’astreinte : une note urgente attend votre accusé de réception."),
               url=_note_url(note))
        record(None, "oncall_paged", note, after={"user": str(user.id), "name": user.name, "step": 0,
                                                  "rota": str(page.rota_id)})
    else:
        notify([user], kind="oncall.escalation", title=_l("Astreinte : note urgente sans réponse"),
               body=_l("Personne n’a encore accusé réception d’une note urgente : elle vous revient."),
               url=_note_url(note))
        record(None, "oncall_escalated", note, after={
            "user": str(user.id), "name": user.name, "step": page.step, "from": str(previous.id),
            "from_name": previous.name, "rota": str(page.rota_id)})
    for schedule in _schedulers:
        schedule(page, page.rota.escalation_delay_minutes * 60 if page.rota else 0)


def page_note(note: Note, rota: Rota, now: datetime | None = None) -> Page | None:
    """Send the note to the person on call now; None when nobody is (or it was already paged)."""
    now = now or utcnow()
    chain = RotaState.load(rota, now, now + timedelta(seconds=1)).chain(now)
    if not chain:
        return None
    page = _store(note, rota, 0, chain[0], now)
    if page is None:
        return None
    db.session.refresh(page, ["rota"])
    _announce(note, page, chain[0], None)
    return page


def acknowledged(note: Note, pages: list[Page]) -> bool:
    """Someone paged opened the note (accusé de réception), or it is no longer waiting for an élu."""
    if note.status not in OPEN:
        return True
    paged = {p.user_id for p in pages}
    return any(a.user_id in paged and a.acknowledged_at is not None for a in note.addressees)


def escalate(page: Page, now: datetime | None = None) -> str:
    """After the delay: stop when acknowledged or out of steps, else page the next person of the rota.
    Returns what happened: ``acknowledged``, ``exhausted``, ``escalated`` or ``already`` (done by another
    run)."""
    now = now or utcnow()
    claimed = db.session.execute(
        db.update(Page).where(Page.id == page.id, Page.checked_at.is_(None)).values(checked_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        return "already"
    note = db.session.get(Note, page.note_id)
    db.session.refresh(note, ["addressees", "status"])
    pages = pages_of(note)
    if acknowledged(note, pages):
        return "acknowledged"
    rota = page.rota
    if page.step >= rota.escalation_steps:
        return "exhausted"
    paged = {p.user_id for p in pages}
    chain = RotaState.load(rota, now, now + timedelta(seconds=1)).chain(now)
    following = next((u for u in chain if u.id not in paged), None)
    if following is None:
        return "exhausted"
    new_page = _store(note, rota, page.step + 1, following, now)
    if new_page is None:
        return "already"
    db.session.refresh(new_page, ["rota"])
    _announce(note, new_page, following, page.user)
    return "escalated"
