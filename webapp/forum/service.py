"""Rules of the forum: opening a mandate and inviting its élus, the élus' profiles, stands and questions.

Services flush; the request commits (see core.transactions).
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.accounts import service as accounts
from webapp.accounts.models import OrgUnit, User
from webapp.core import audit
from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.core.links import public_url
from webapp.extensions import db
from webapp.forum import policy
from webapp.forum.models import DeclaredInterest, EluProfile, Stand, StandQuestion, Unavailability
from webapp.organisation.models import Elu, Mandate, PoliticalGroup
from webapp.push.service import notify

PORTRAIT_MAX_BYTES = 2 * 1024 * 1024
INVITATION_MAX_AGE = 30 * 24 * 3600  # the forum is days after the election; a month leaves room


# --- mandates and élus --------------------------------------------------------------------------------

def forum_mandate() -> Mandate | None:
    """The newest mandate: the forum welcomes the élus of the assembly just elected, even before it starts."""
    return db.session.scalar(db.select(Mandate).order_by(Mandate.starts_on.desc()).limit(1))


def newest_mandate_id():
    """``forum_mandate``'s id as a subquery, for a statement that asks about the forum's élus."""
    return db.select(Mandate.id).order_by(Mandate.starts_on.desc()).limit(1).scalar_subquery()


def term_of(user, mandate: Mandate | None = None) -> Elu | None:
    """The person's seat in ``mandate``, by default the forum's (one statement: the home page asks it)."""
    if not getattr(user, "is_authenticated", False):
        return None
    mandate_id = mandate.id if mandate is not None else newest_mandate_id()
    return db.session.scalar(db.select(Elu).where(Elu.user_id == user.id, Elu.mandate_id == mandate_id))


def open_mandate(actor, *, label: str, starts_on, ends_on) -> Mandate:
    if ends_on <= starts_on:
        raise DomainError(_("La fin du mandat doit suivre son début."), fields={"ends_on": [_("Trop tôt.")]},
                          status=422)
    if db.session.scalar(db.select(Mandate).where(Mandate.label == label)) is not None:
        raise DomainError(_("Un mandat porte déjà ce nom."), fields={"label": [_("Déjà utilisé.")]}, status=422)
    mandate = Mandate(label=label, starts_on=starts_on, ends_on=ends_on)
    db.session.add(mandate)
    db.session.flush()
    audit.record(actor, "mandate.opened", mandate, None, {"label": label, "starts_on": starts_on,
                                                          "ends_on": ends_on})
    return mandate


def mandate_elus(mandate: Mandate) -> list[Elu]:
    return db.session.scalars(db.select(Elu).join(User).where(Elu.mandate_id == mandate.id)
                              .order_by(User.name)).all()


def add_elu(actor, mandate: Mandate, *, email: str, name: str, group: str) -> tuple[Elu, bool]:
    """Seat one person in the mandate with a group, creating their account; True when it was created."""
    user = accounts.find_by_email(email)
    created = user is None
    if created:
        user = accounts.create_user(actor, email=email, name=name)
    term = accounts.seat_elu(user, group, mandate)
    db.session.flush()
    audit.record(actor, "mandate.elu_seated", term, None, {"user": user.email, "group": group})
    return term, created


def import_elus_csv(actor, mandate: Mandate, text: str, create_groups: bool = False) -> accounts.ImportResult:
    """Seat the élus of a CSV (``email;nom;groupe``) in the mandate. Every line is checked first, with the
    people import's own checks; any error refuses the whole file and nothing is written. As there, a group
    that does not exist is an error (a typo would make a new group) unless ``create_groups``."""
    rows, result = accounts.parse_people_csv(text, create_groups)
    known = set(db.session.scalars(db.select(PoliticalGroup.name)))
    for line, row in rows:
        if not row["groupe"]:
            result.errors.append((line, _("un élu doit avoir un groupe politique")))
        elif row["groupe"] not in known and not create_groups:
            result.errors.append((line, _("groupe politique inconnu : « %(g)s » (cochez « Créer les groupes "
                                          "inconnus » s’il est nouveau)", g=row["groupe"])))
    if result.errors:
        result.errors.sort()
        return result
    for _line, row in rows:
        _term, created = add_elu(actor, mandate, email=row["email"], name=row["nom"], group=row["groupe"])
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result


# --- invitations: a first sign-in link ----------------------------------------------------------------

def invitation_token(user: User) -> str:
    # Bound to the current password hash (none yet): once a password is chosen, the link is spent.
    return accounts.password_link_token(user, "forum-invitation")


def user_from_invitation(token: str) -> User | None:
    return accounts.user_from_password_link(token, "forum-invitation", INVITATION_MAX_AGE)


def invite(user: User) -> None:
    """Mail the élu a link to choose a password and land on their forum profile."""
    from webapp.jobs.mail import send_mail

    link = public_url("forum.invitation", token=invitation_token(user))
    send_mail(user.email, _("Tandem : bienvenue, complétez votre profil d’élu"),
              render_template("forum/mail_invitation.txt", user=user, link=link))


def accept_invitation(token: str, password: str) -> User:
    user = user_from_invitation(token)
    if user is None:
        raise DomainError(_("Ce lien n’est plus valable. Demandez-en un nouveau."), status=400)
    accounts.set_password(user, password)
    audit.record(user, "user.invitation_accepted", user)
    return user


def invite_new_accounts(elus: list[Elu]) -> int:
    invited = 0
    for term in elus:
        if not term.user.password_hash:
            invite(term.user)
            invited += 1
    return invited


# --- the profile ----------------------------------------------------------------------------------------

def profile_of(term: Elu, create: bool = False) -> EluProfile | None:
    profile = db.session.scalar(db.select(EluProfile).where(EluProfile.elu_id == term.id))
    if profile is None and create:
        profile = EluProfile(elu_id=term.id, elu=term)
        db.session.add(profile)
        db.session.flush()
    return profile


def _presentation(profile: EluProfile) -> dict:
    return {"presentation": profile.presentation, "themes": profile.themes,
            "preferred_contact": profile.preferred_contact, "consent_public": profile.consent_public}


def update_presentation(actor, term: Elu, data: dict) -> EluProfile:
    profile = profile_of(term, create=True)
    before = _presentation(profile)
    for key in ("presentation", "themes", "preferred_contact"):
        if key in data:
            setattr(profile, key, data[key].strip())
    if "consent_public" in data and data["consent_public"] != profile.consent_public:
        profile.consent_public = data["consent_public"]
        profile.consent_at = utcnow()  # when the consent was given or withdrawn, for the record
    db.session.flush()
    audit.record(actor, "forum.profile_updated", profile, before, _presentation(profile))
    return profile


def _square_png(data: bytes) -> bool:
    width, height = struct.unpack(">II", data[16:24])
    return width == height and width > 0


def _square_jpeg(data: bytes) -> bool:
    """Reads the frame header (SOFn) for the size; False if it is not found."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return False
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width == height and width > 0
        i += 2 + length
    return False


def _portrait_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 24 and _square_png(data):
        return "image/png"
    if data.startswith(b"\xff\xd8") and _square_jpeg(data):
        return "image/jpeg"
    raise DomainError(_("Le portrait doit être une image carrée PNG ou JPEG."),
                      fields={"portrait": [_("Image carrée PNG ou JPEG attendue.")]}, status=422)


def portrait_path(sha256: str) -> Path:
    return Path(current_app.instance_path) / "media" / "portraits" / sha256


def store_portrait(actor, term: Elu, data: bytes) -> EluProfile:
    """Keep the square portrait cropped on the phone; the same picture sent twice is stored once."""
    if not data or len(data) > PORTRAIT_MAX_BYTES:
        raise DomainError(_("Le portrait doit peser moins de 2 Mo."), fields={"portrait": [_("Trop lourd.")]},
                          status=413 if data else 422)
    mimetype = _portrait_type(data)
    digest = hashlib.sha256(data).hexdigest()
    path = portrait_path(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{uuid.uuid4().hex}.part")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a concurrent reader never sees half a picture
    profile = profile_of(term, create=True)
    before = {"portrait": profile.portrait_sha256}
    profile.portrait_sha256, profile.portrait_type = digest, mimetype
    db.session.flush()
    audit.record(actor, "forum.portrait_stored", profile, before, {"portrait": digest})
    return profile


def unavailabilities(term: Elu) -> list[Unavailability]:
    return db.session.scalars(db.select(Unavailability).where(Unavailability.elu_id == term.id)
                              .order_by(Unavailability.weekday, Unavailability.starts_at)).all()


def add_unavailability(actor, term: Elu, data: dict) -> Unavailability:
    if data["period"] == "hours":
        if not data.get("starts_at") or not data.get("ends_at") or data["ends_at"] <= data["starts_at"]:
            raise DomainError(_("Indiquez une heure de début et une heure de fin qui la suit."),
                              fields={"ends_at": [_("Heures incohérentes.")]}, status=422)
    else:
        data = {**data, "starts_at": None, "ends_at": None}
    if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
        raise DomainError(_("La date de fin précède la date de début."),
                          fields={"valid_until": [_("Avant le début.")]}, status=422)
    item = Unavailability(elu_id=term.id, **{k: data.get(k) for k in (
        "weekday", "period", "starts_at", "ends_at", "valid_from", "valid_until")}, reason=data.get("reason", ""))
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "forum.unavailability_added", item, None, {"weekday": item.weekday, "period": item.period})
    return item


def interests(term: Elu) -> list[DeclaredInterest]:
    return db.session.scalars(db.select(DeclaredInterest).where(DeclaredInterest.elu_id == term.id)
                              .order_by(DeclaredInterest.category, DeclaredInterest.organisation)).all()


def add_interest(actor, term: Elu, data: dict) -> DeclaredInterest:
    if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise DomainError(_("La date de fin précède la date de début."),
                          fields={"ends_on": [_("Avant le début.")]}, status=422)
    item = DeclaredInterest(elu_id=term.id, **{k: data.get(k) for k in (
        "category", "organisation", "starts_on", "ends_on")}, role=data.get("role", ""))
    db.session.add(item)
    db.session.flush()
    audit.record(actor, "forum.interest_declared", item, None, {"category": item.category,
                                                                "organisation": item.organisation})
    return item


def remove(actor, item: Unavailability | DeclaredInterest) -> None:
    audit.record(actor, f"forum.{type(item).__name__.lower()}_removed", item)
    db.session.delete(item)
    db.session.flush()


def private_profile_for_designation(term: Elu) -> dict:
    """The constraints (with reasons) and declared interests, for the designation's alerts only: a
    service-to-service read, never shown to a person by this call."""
    return {"unavailabilities": unavailabilities(term), "interests": interests(term)}


def progress(mandate: Mandate) -> list[dict]:
    """For each élu of the mandate: portrait, complete profile, consent to publish."""
    profiles = {p.elu_id: p for p in db.session.scalars(
        db.select(EluProfile).join(Elu).where(Elu.mandate_id == mandate.id))}
    rows = []
    for term in mandate_elus(mandate):
        profile = profiles.get(term.id)
        rows.append({"elu": term, "portrait": bool(profile and profile.portrait_sha256),
                     "complete": bool(profile and profile.complete),
                     "consent": bool(profile and profile.consent_public)})
    return rows


def remind_incomplete(actor, mandate: Mandate) -> int:
    """Notify (push, else mail) every élu of the mandate whose profile is not complete; how many."""
    late = [row["elu"].user for row in progress(mandate) if not row["complete"]]
    notify(late, kind="forum.profile_reminder", title=_l("Complétez votre profil d’élu"),
           body=_l("Portrait, contraintes d’agenda et fonctions déclarées : avant l’ouverture des vœux."),
           url="/forum/profile")
    audit.record(actor, "forum.profiles_reminded", mandate, None, {"count": len(late)})
    return len(late)


# --- stands and questions -------------------------------------------------------------------------------

def stand_units() -> list[OrgUnit]:
    return db.session.scalars(db.select(OrgUnit).where(OrgUnit.kind.in_(policy.STAND_KINDS))
                              .order_by(OrgUnit.name)).all()


def stand_of(unit: OrgUnit) -> Stand | None:
    return db.session.scalar(db.select(Stand).where(Stand.unit_id == unit.id))


def update_stand(actor, unit: OrgUnit, data: dict) -> Stand:
    stand = stand_of(unit)
    if stand is None:
        stand = Stand(unit_id=unit.id, unit=unit)
        db.session.add(stand)
    before = {"missions": stand.missions, "projects": stand.projects}
    stand.missions, stand.projects = data["missions"].strip(), data["projects"].strip()
    db.session.flush()
    audit.record(actor, "forum.stand_updated", stand, before, {"missions": stand.missions,
                                                               "projects": stand.projects})
    return stand


def stand_agents(unit: OrgUnit) -> list[User]:
    return db.session.scalars(db.select(User).where(User.unit_id == unit.id, User.active.is_(True))
                              .order_by(User.name)).all()


def questions(user, unit: OrgUnit) -> list[StandQuestion]:
    found = db.session.scalars(db.select(StandQuestion).where(StandQuestion.unit_id == unit.id)
                               .order_by(StandQuestion.created_at.desc())).all()
    return [q for q in found if policy.can_see_question(user, q)]


def ask(actor, unit: OrgUnit, *, text: str, private: bool = False, question_id=None) -> StandQuestion:
    question = StandQuestion(id=question_id or uuid.uuid4(), unit_id=unit.id, unit=unit, author_id=actor.id,
                        text=text.strip(), private=private)
    db.session.add(question)
    db.session.flush()
    audit.record(actor, "forum.question_asked", question, None, {"private": private})
    notify(stand_agents(unit), kind="forum.question", title=_l("Nouvelle question sur le stand de votre service"),
           body=_l("Un élu attend votre réponse."), url=_question_url(question), exclude=actor)
    return question


def _question_url(question: StandQuestion) -> str:
    # A plain path: services run in the worker and the demo too, where no request exists to build URLs from.
    return f"/forum/stands/{question.unit_id}#q-{question.id}"


def answer(actor, question: StandQuestion, text: str) -> StandQuestion:
    before = {"answer": question.answer}
    question.answer, question.answered_by_id, question.answered_at = text.strip(), actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "forum.question_answered", question, before, {"answer": question.answer})
    notify([question.author], kind="forum.answer", title=_l("Le service a répondu à votre question"),
           body=_l("Réponse visible sur le stand du forum."), url=_question_url(question), exclude=actor)
    return question


def directory(query: str = "") -> list[User]:
    """"Qui fait quoi": agents whose name, job title or service matches, or whose stand's missions or
    projects speak of the theme searched ("vélo" finds the roads service's agents)."""
    stmt = (db.select(User).join(OrgUnit, User.unit_id == OrgUnit.id).outerjoin(Stand, Stand.unit_id == OrgUnit.id)
            .where(User.active.is_(True), OrgUnit.kind.in_(policy.STAND_KINDS)).order_by(User.name))
    if query.strip():
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(db.or_(*(db.func.lower(column).like(like) for column in (
            User.name, User.job_title, OrgUnit.name, Stand.missions, Stand.projects))))
    return db.session.scalars(stmt.limit(200)).all()
