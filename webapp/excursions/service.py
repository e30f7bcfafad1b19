"""Rules of excursions pratiques: preparation and protocol, invitation, evidence capture (idempotent by
client UUID), and the co-written mini-bilan.

Services flush; the request (or the worker task) commits. Media storage (resumable chunks checked by
SHA-256) lives in ``media.py``, quotas in ``quotas.py``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import icalendar
from flask import current_app, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from webapp.accounts.models import User
from webapp.accounts.roles import is_cabinet, roles_of
from webapp.core import audit
from webapp.core.clock import to_paris, utcnow
from webapp.core.concurrency import compare_and_set, insert_once
from webapp.core.errors import Conflict, DomainError
from webapp.core.links import public_link
from webapp.excursions.media import megabytes
from webapp.excursions.models import EvidenceItem, Excursion, Media, Participant, Person, Place, Question
from webapp.extensions import db

MAX_DURATION_MINUTES = 8 * 60  # "sur un temps court" (003:771): half a day to a day at most
# Served back from our origin: an allow-list, so no active content (SVG, HTML) can ride in as a "photo".
MEDIA_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif", "image/heic", "image/heif",
               "audio/webm", "audio/ogg", "audio/mp4", "audio/mpeg", "audio/aac", "audio/wav", "audio/x-wav")
DEFAULT_MEDIA_MAX_BYTES = 50 * 1024 * 1024


def _invalid(message: str, status: int = 422, **fields) -> DomainError:
    return DomainError(message, fields={k: [v] for k, v in fields.items()}, status=status)


def excursion_url(excursion: Excursion) -> str:
    return f"/excursions/{excursion.id}"


def get_excursion(excursion_id) -> Excursion | None:
    return db.session.get(Excursion, excursion_id)


def visible_query(user: User):
    """Excursions the person organises, takes part in, or whose members they manage; newest first."""
    if is_cabinet(user):
        return db.select(Excursion).where(db.false())
    managed = db.select(User.id).where(User.manager_id == user.id)
    mine = db.or_(
        Excursion.organiser_id == user.id,
        Excursion.organiser_id.in_(managed),
        Excursion.participants.any(Participant.user_id == user.id),
        Excursion.participants.any(Participant.user_id.in_(managed)),
    )
    return db.select(Excursion).where(mine).order_by(Excursion.starts_at.desc())


def upcoming_and_past(user: User, now: datetime):
    """The person's excursions still to come, soonest first, and a query for the others, newest first."""
    visible = visible_query(user)
    coming = Excursion.status == "prepared", Excursion.starts_at >= now - timedelta(hours=MAX_DURATION_MINUTES / 60)
    upcoming = db.session.scalars(visible.where(*coming).order_by(None).order_by(Excursion.starts_at)).all()
    return upcoming, visible.where(db.not_(db.and_(*coming)))


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


# --- capture -------------------------------------------------------------------------------------------

def bundle_limits() -> tuple[int, int]:
    """How much a bundle of small files may weigh, and how many files it may hold (each file whole, so a
    cut loses only the file in flight)."""
    return int(current_app.config["EXCURSION_BUNDLE_BYTES"]), int(current_app.config["EXCURSION_BUNDLE_FILES"])


def media_max_bytes() -> int:
    return int(current_app.config.get("EXCURSION_MEDIA_MAX_BYTES", DEFAULT_MEDIA_MAX_BYTES))


def _item_matches(item: EvidenceItem, excursion: Excursion, actor: User, sent: dict | None = None) -> bool:
    """A replay: same excursion, same author and, when known, the same capture (kind, text, question,
    file). Another capture under a used id is refused rather than silently dropped."""
    if item.excursion_id != excursion.id or item.author_id != actor.id:
        return False
    if sent is None:
        return True
    media_id = (sent.get("media") or {}).get("id")
    return (item.kind == sent["kind"] and item.text == (sent.get("text") or "")
            and item.question_id == sent.get("question_id")
            and (item.media.id if item.media else None) == media_id)


def add_item(actor: User, excursion: Excursion, *, id: uuid.UUID, kind: str, captured_at: datetime,
             media: dict | None = None, question_id=None, known: dict | None = None,
             taken_media: set | None = None, **fields) -> tuple[EvidenceItem, bool]:
    """Record one capture under the client's UUID; the same UUID again returns the first one unchanged.

    Returns ``(item, created)``. Items are append-only: a replay never edits what was stored.
    ``known`` (items by id) and ``taken_media`` (media ids) are prefetched by ``add_items``.
    """
    sent = {"kind": kind, "text": fields.get("text"), "question_id": question_id, "media": media}
    existing = known.get(id) if known is not None else db.session.get(EvidenceItem, id)
    if existing is not None:
        return _replayed(existing, excursion, actor, sent), False
    if known is None:
        # Alone: a twin sent at the same moment (a phone's retry while the first is running) may win
        # the insert; ours is then rolled back and the twin is the answer.
        try:
            item, created = insert_once(lambda: _new_item(actor, excursion, id, kind, captured_at, media,
                                                          question_id, None, fields),
                                        lambda: db.session.get(EvidenceItem, id))
        except DomainError:
            # Refused as "file id already used": by this very capture, committed by its twin meanwhile?
            db.session.rollback()
            if (item := db.session.get(EvidenceItem, id)) is None:
                raise
            created = False
        return (item, True) if created else (_replayed(item, excursion, actor, sent), False)
    return _new_item(actor, excursion, id, kind, captured_at, media, question_id, taken_media, fields), True


def _replayed(existing: EvidenceItem, excursion: Excursion, actor: User, sent: dict) -> EvidenceItem:
    if not _item_matches(existing, excursion, actor, sent):
        raise _invalid(_("Cet identifiant est déjà utilisé."), status=409)
    return existing


def _new_item(actor, excursion, id, kind, captured_at, media, question_id, taken_media, fields) -> EvidenceItem:
    _check_item(excursion, kind, media, question_id, taken_media)
    item = EvidenceItem(id=id, excursion_id=excursion.id, author_id=actor.id, kind=kind,
                        captured_at=captured_at, question_id=question_id,
                        text=fields.get("text") or "", person_name=fields.get("person_name") or "",
                        consent_given=fields.get("consent_given"), tags=_clean_tags(fields.get("tags")),
                        latitude=fields.get("latitude"), longitude=fields.get("longitude"),
                        accuracy=fields.get("accuracy"))
    if media:
        item.media = Media(id=media["id"], content_type=media["content_type"], size=media["size"],
                           sha256=media["sha256"].lower(), received=0)
    db.session.add(item)
    if taken_media is None:
        db.session.flush()
    return item


def add_items(actor: User, excursion: Excursion, bodies: list[dict], load) -> list[dict]:
    """Record a batch of captures; each one gets its own status, as if posted alone (201, 200 or 4xx).

    ``load`` validates one raw item (the API's schema). ``add_item`` checks everything before it adds to
    the session, so a refused capture leaves nothing behind and never undoes the others. (No savepoint:
    with SQLite's driver, releasing the outermost one commits to disk, once per item.) Existing ids are
    read in two queries and the new rows written in one flush: a phone back online sends hundreds.
    """
    try:
        return _add_items(actor, excursion, bodies, load)
    except IntegrityError:
        # Another request stored some of these ids meanwhile (a batch sent twice at once): start again,
        # the twins are then known and each answers as a replay.
        db.session.rollback()
        return _add_items(actor, excursion, bodies, load)


def _add_items(actor: User, excursion: Excursion, bodies: list[dict], load) -> list[dict]:
    from marshmallow import ValidationError

    parsed = []
    for body in bodies:
        try:
            parsed.append((body, load(body), None))
        except ValidationError as error:
            parsed.append((body, None, error))
    known, taken_media = _prefetch([data for _, data, _ in parsed if data])
    results = []
    for body, data, error in parsed:
        item_id = str(body.get("id", "")) if isinstance(body, dict) else ""
        if error is not None:
            results.append(_refused(item_id, 422, _("Certaines informations sont invalides."), error.messages))
            continue
        try:
            item, created = add_item(actor, excursion, known=known, taken_media=taken_media, **data)
        except DomainError as refusal:
            results.append(_refused(item_id, refusal.status, refusal.message, refusal.fields))
            continue
        known[item.id] = item
        if item.media is not None:
            taken_media.add(item.media.id)
        results.append(_accepted(item, created))
    db.session.flush()
    return results


def _accepted(item: EvidenceItem, created: bool) -> dict:
    # Read before the flush: afterwards, each item's media would be loaded again, one query per item.
    media = item.media
    return {"id": str(item.id), "status": 201 if created else 200, "outcome": "stored" if created else "replayed",
            "error": None,
            "media_id": str(media.id) if media else None, "media_complete": bool(media and media.complete)}


def _prefetch(items: list[dict]) -> tuple[dict, set]:
    ids = [d["id"] for d in items]
    media_ids = [d["media"]["id"] for d in items if d.get("media")]
    known = {i.id: i for i in db.session.scalars(db.select(EvidenceItem).where(EvidenceItem.id.in_(ids))
                                                 .options(selectinload(EvidenceItem.media)))} if ids else {}
    taken = set(db.session.scalars(db.select(Media.id).where(Media.id.in_(media_ids)))) if media_ids else set()
    return known, taken


def _refused(item_id: str, status: int, message: str, fields) -> dict:
    return {"id": item_id, "status": status, "outcome": "refused", "media_id": None, "media_complete": False,
            "error": {"code": "refused", "message": message, "fields": fields}}


def _clean_tags(tags) -> list[str]:
    return list(dict.fromkeys(t.strip()[:40] for t in tags or [] if t and t.strip()))[:10]


def _check_item(excursion: Excursion, kind: str, media: dict | None, question_id, taken_media=None) -> None:
    if kind in ("photo", "audio") and not media:
        raise _invalid(_("Le fichier de cette capture est manquant."), media=_("Fichier manquant."))
    if kind == "answer" and not any(q.id == question_id for q in excursion.questions):
        raise _invalid(_("Cette question n’existe pas pour cette excursion."), question_id=_("Question inconnue."))
    if media:
        _check_media(media, taken_media)


def _check_media(media: dict, taken_media: set | None = None) -> None:
    limit = media_max_bytes()
    if media["size"] > limit:
        message = _("Fichier trop volumineux : %(size)s Mo pour %(limit)s Mo au plus.",
                    size=megabytes(media["size"]), limit=megabytes(limit))
        raise DomainError(message, fields={"media": [message]}, status=413)
    if media["content_type"].split(";")[0].strip().lower() not in MEDIA_TYPES:
        raise _invalid(_("Seules les photos et les enregistrements audio sont acceptés."),
                       media=_("Type de fichier non accepté."))
    taken = media["id"] in taken_media if taken_media is not None else db.session.get(Media, media["id"]) is not None
    if taken:
        raise _invalid(_("Cet identifiant de fichier est déjà utilisé."), status=409)


def item_synced(item: EvidenceItem) -> bool:
    """An item is synchronised only once its attachment, if any, is complete and verified."""
    return item.media is None or item.media.complete


def missing_media(excursion: Excursion) -> int:
    return sum(1 for item in excursion.items if not item_synced(item))


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


def media_url(media: Media) -> str:
    return url_for("excursions_api.MediaContent", media_id=media.id)
