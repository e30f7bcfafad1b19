"""Preparing an excursion: the élus invited, places, people and questions, done or cancelled, the calendar file."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import icalendar
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts.models import User
from webapp.accounts.roles import is_cabinet, roles_of
from webapp.core import audit
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set, insert_once
from webapp.core.errors import Conflict
from webapp.core.links import public_link
from webapp.excursions.models import Excursion, Participant, Person, Place, Question
from webapp.excursions.service.common import MAX_DURATION_MINUTES, _invalid, excursion_url
from webapp.extensions import db

# --- preparation ---------------------------------------------------------------------------------------

def eligible_elus() -> list[User]:
    """Élus of the current mandate who may be invited (never a cabinet member)."""
    users = db.session.scalars(db.select(User).where(User.active.is_(True), User.elu_terms.any())
                               .order_by(User.name)).all()
    return [u for u in users if _is_invitable(u)]


def _is_invitable(user: User) -> bool:
    roles = roles_of(user)
    return "elu" in roles and "cabinet" not in roles


def _elus(ids) -> list[User]:
    """Load the élus to invite; the cabinet is refused by name so the agent understands why."""
    ids = list(dict.fromkeys(ids or []))
    if not ids:
        raise _invalid(_("Choisissez au moins un·e élu·e."), elu_ids=_("Choisissez au moins un·e élu·e."))
    users = db.session.scalars(db.select(User).where(User.id.in_(ids))).all()
    if len(users) != len(ids):
        raise _invalid(_("Personne inconnue."), elu_ids=_("Personne inconnue."))
    for user in users:
        if is_cabinet(user):
            message = _("Le cabinet ne peut pas être associé à une excursion (%(name)s).", name=user.name)
            raise _invalid(message, elu_ids=message)
        if not _is_invitable(user):
            message = _("%(name)s n’est pas élu·e du mandat en cours.", name=user.name)
            raise _invalid(message, elu_ids=message)
    return users


def _check_schedule(starts_at: datetime | None, duration: int | None) -> None:
    if starts_at is None:
        raise _invalid(_("Indiquez la date de l’excursion."), starts_at=_("Indiquez la date de l’excursion."))
    if duration is None or not 15 <= duration <= MAX_DURATION_MINUTES:
        message = _("Une excursion est courte : entre 15 minutes et 8 heures.")
        raise _invalid(message, duration_minutes=message)


def _snapshot(excursion: Excursion) -> dict:
    return {"title": excursion.title, "starts_at": excursion.starts_at, "status": excursion.status,
            "duration_minutes": excursion.duration_minutes, "elus": [str(p.user_id) for p in excursion.participants]}


def _set_lists(excursion: Excursion, places, people, questions, checklist) -> None:
    """Replace the prepared lists; question ids are kept so answers already captured stay attached."""
    if places is not None:
        excursion.places = [Place(position=i, name=p["name"], address=p.get("address") or "",
                                  latitude=p.get("latitude"), longitude=p.get("longitude"))
                            for i, p in enumerate(places)]
    if people is not None:
        excursion.people = [Person(position=i, name=p["name"], role=p.get("role") or "") for i, p in enumerate(people)]
    if questions is not None:
        _set_questions(excursion, questions)
    if checklist is not None:
        excursion.checklist = [c.strip() for c in checklist if c and c.strip()]


def _set_questions(excursion: Excursion, questions: list) -> None:
    by_text = {q.text: q for q in excursion.questions}
    kept = []
    for position, text in enumerate(t.strip() for t in questions if t and t.strip()):
        question = by_text.pop(text, None) or Question(text=text)
        question.position = position
        kept.append(question)
    answered = {i.question_id for i in excursion.items if i.question_id}
    if any(q.id in answered for q in by_text.values()):
        message = _("Une question a déjà reçu des réponses : elle ne peut plus être retirée.")
        raise _invalid(message, questions=message)
    excursion.questions = kept


def create_excursion(actor: User, *, elu_ids, starts_at, duration_minutes=120, id: uuid.UUID | None = None,
                     title: str, dossier: str = "", consent_text: str = "", places=None, people=None,
                     questions=None, checklist=None) -> Excursion:
    """Prepare an excursion and invite its élus (notification + .ics). Under a client id, the same
    excursion sent again (a retry, even concurrent) is the first one; another one under that id is a 409."""
    if id is not None and (existing := db.session.get(Excursion, id)) is not None:
        return _same_excursion(existing, actor, title)

    def create() -> Excursion:
        return _create_excursion(actor, elu_ids=elu_ids, starts_at=starts_at, duration_minutes=duration_minutes,
                                 id=id, title=title, dossier=dossier, consent_text=consent_text, places=places,
                                 people=people, questions=questions, checklist=checklist)

    excursion, created = insert_once(create, lambda: db.session.get(Excursion, id) if id is not None else None)
    return excursion if created else _same_excursion(excursion, actor, title)


def _same_excursion(existing: Excursion, actor: User, title: str) -> Excursion:
    if existing.organiser_id != actor.id or existing.title != title.strip():
        raise _invalid(_("Cet identifiant est déjà utilisé."), status=409)
    return existing


def _create_excursion(actor: User, *, elu_ids, starts_at, duration_minutes, id, title, dossier, consent_text,
                      places, people, questions, checklist) -> Excursion:
    elus = _elus(elu_ids)
    _check_schedule(starts_at, duration_minutes)
    excursion = Excursion(id=id or uuid.uuid4(), title=title.strip(), dossier=dossier, organiser_id=actor.id,
                          organiser=actor, starts_at=starts_at, duration_minutes=duration_minutes,
                          consent_text=consent_text or default_consent_text(), checklist=[])
    _set_lists(excursion, places or [], people or [], questions or [], checklist or [])
    db.session.add(excursion)
    _invite(excursion, elus)
    db.session.flush()
    audit.record(actor, "excursion.created", excursion, after=_snapshot(excursion))
    return excursion


def update_preparation(actor: User, excursion: Excursion, *, elu_ids=None, places=None, people=None,
                       questions=None, checklist=None, **fields) -> Excursion:
    """Change the preparation; newly added élus are invited, removed ones are no longer participants."""
    before = _snapshot(excursion)
    for name in ("title", "dossier", "starts_at", "duration_minutes", "consent_text"):
        if fields.get(name) is not None:
            setattr(excursion, name, fields[name])
    _check_schedule(excursion.starts_at, excursion.duration_minutes)
    _set_lists(excursion, places, people, questions, checklist)
    if elu_ids is not None:
        _set_elus(excursion, _elus(elu_ids))
    db.session.flush()
    audit.record(actor, "excursion.updated", excursion, before=before, after=_snapshot(excursion))
    return excursion


def _set_elus(excursion: Excursion, elus: list[User]) -> None:
    wanted = {u.id for u in elus}
    excursion.participants = [p for p in excursion.participants if p.user_id in wanted]
    present = {p.user_id for p in excursion.participants}
    _invite(excursion, [u for u in elus if u.id not in present])


def _invite(excursion: Excursion, elus: list[User]) -> None:
    from webapp.push.service import notify

    for user in elus:
        excursion.participants.append(Participant(user=user, user_id=user.id, invited_at=utcnow()))
    if elus:
        db.session.flush()
        # Title and body say what happened, never the dossier: they may reach a lock screen.
        notify(elus, kind="excursion.invited", title=_l("Invitation à une excursion pratique"),
               body=_l("%(name)s vous propose une excursion.", name=excursion.organiser.name),
               url=excursion_url(excursion))


def default_consent_text() -> str:
    return _("J’accepte d’être photographié·e ou enregistré·e pendant cette visite. Ces éléments servent "
             "uniquement au travail interne de la collectivité et ne sont pas publiés. Je peux retirer mon "
             "accord à tout moment auprès de l’agent organisateur.")


def acknowledge(actor: User, excursion: Excursion) -> Participant:
    """The élu accepts to observe and ask, not to represent (003:783-786). Idempotent."""
    participant = next(p for p in excursion.participants if p.user_id == actor.id)
    if participant.acknowledged_at is None:
        participant.acknowledged_at = utcnow()
        audit.record(actor, "excursion.acknowledged", excursion, after={"user": str(actor.id)})
    return participant


def _expect_prepared(excursion: Excursion) -> None:
    # Done or cancelled once (two devices of the organiser): the second is told, with the excursion.
    if excursion.status == "done":
        raise Conflict(_("La visite est déjà marquée comme faite."), subject=excursion)
    if excursion.status == "cancelled":
        raise Conflict(_("La visite a déjà été annulée."), subject=excursion)


def mark_done(actor: User, excursion: Excursion, now: datetime | None = None) -> Excursion:
    """Record that the visit took place: it now counts for the quotas."""
    now = now or utcnow()
    return compare_and_set(lambda: _mark_done(actor, excursion, now))


def _mark_done(actor: User, excursion: Excursion, now: datetime) -> Excursion:
    _expect_prepared(excursion)
    if excursion.starts_at > now:
        raise _invalid(_("L’excursion n’a pas encore eu lieu."), status=409)
    excursion.status, excursion.done_at = "done", now
    db.session.flush()
    audit.record(actor, "excursion.done", excursion, after={"status": "done"})
    return excursion


def cancel(actor: User, excursion: Excursion) -> Excursion:
    """Call the visit off; the élus are told (without the dossier). Captures already made are kept."""
    return compare_and_set(lambda: _cancel(actor, excursion))


def _cancel(actor: User, excursion: Excursion) -> Excursion:
    from webapp.push.service import notify

    _expect_prepared(excursion)
    excursion.status = "cancelled"
    db.session.flush()
    audit.record(actor, "excursion.cancelled", excursion, after={"status": "cancelled"})
    notify(excursion.elus, kind="excursion.cancelled", title=_l("Excursion pratique annulée"),
           body=_l("%(name)s a annulé une excursion.", name=actor.name), url=excursion_url(excursion))
    return excursion


def ics(excursion: Excursion) -> bytes:
    """An iCalendar invitation; the subject stays generic, the link leads to the details.

    Written by the ``icalendar`` library: it escapes what a title may hold (a bare CR, ``;``, ``,``) so
    that no text can add a line (an ``ATTENDEE``) to the event, and folds long lines as RFC 5545 says."""
    link = public_link(excursion_url(excursion))
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tandem//Excursions//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{excursion.id}@tandem")
    event.add("dtstamp", utcnow())
    event.add("dtstart", excursion.starts_at.astimezone(UTC))
    event.add("dtend", (excursion.starts_at + timedelta(minutes=excursion.duration_minutes)).astimezone(UTC))
    event.add("summary", _("Excursion pratique : %(title)s", title=excursion.title))
    event.add("location", "; ".join(f"{p.name} {p.address}".strip() for p in excursion.places))
    event.add("url", link)
    event.add("description", _("Préparation et capture : %(link)s", link=link))
    calendar.add_component(event)
    return calendar.to_ical()
