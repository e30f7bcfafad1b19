"""The rules of the on-call rotas: setting a rota, absences, overrides, swaps asked and accepted, and the
secret calendar links. Services flush; the request (or the task) commits."""

from __future__ import annotations

import secrets
import uuid
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from webapp.accounts.models import OrgUnit, User
from webapp.accounts.roles import current_mandate
from webapp.core.audit import record
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set
from webapp.core.errors import Conflict, DomainError
from webapp.extensions import db
from webapp.oncall import policy
from webapp.oncall.models import Absence, FeedToken, Override, Rota, RotaMember, Swap
from webapp.oncall.rotation import RotaState, Shift, turn_bounds, turn_index, upcoming
from webapp.organisation.models import Elu
from webapp.push.service import notify

MAX_MEMBERS = 20
ROTA_FIELDS = ("name", "rotation", "starts_on", "handover_minute", "escalation_delay_minutes", "escalation_steps",
               "urgent_notes")


def _forbidden() -> DomainError:
    return DomainError(_("Action réservée à la tête du service et aux administrateurs."), status=403)


def _invalid(message: str, **fields) -> DomainError:
    return DomainError(message, fields={k: [v] for k, v in fields.items()}, status=422)


def rota_url(rota: Rota) -> str:
    return f"/oncall/rotas/{rota.id}"


def candidates(unit: OrgUnit) -> list[User]:
    """Who may be on call for ``unit``: its people and those of the units below it, and the élus whose
    delegation covers it."""
    ids, todo = set(), [unit]
    while todo:
        current = todo.pop()
        if current.id not in ids:
            ids.add(current.id)
            todo.extend(current.children)
    agents = db.session.scalars(db.select(User).where(User.active.is_(True), User.unit_id.in_(ids))).all()
    mandate = current_mandate()
    elus = [] if mandate is None else db.session.scalars(
        db.select(User).join(Elu, Elu.user_id == User.id).where(Elu.mandate_id == mandate.id, User.active.is_(True))
    ).all()
    covering = [u for u in elus if any(unit in f.units or (unit.parent and unit.parent in f.units)
                                       for t in u.elu_terms if t.mandate_id == mandate.id for f in t.functions)]
    return sorted({u.id: u for u in [*agents, *covering]}.values(), key=lambda u: u.name)


def _state(rota: Rota) -> dict:
    return {**{k: getattr(rota, k) for k in ROTA_FIELDS}, "members": [str(m.user_id) for m in rota.members]}


def _check(fields: dict) -> None:
    if fields.get("rotation") not in (None, "weekly", "daily"):
        raise _invalid(_("Rotation inconnue."), rotation=_("Choix invalide."))
    minute = fields.get("handover_minute")
    if minute is not None and not 0 <= minute < 24 * 60:
        raise _invalid(_("Heure de relève invalide."), handover_minute=_("Heure invalide."))


def _set_members(rota: Rota, member_ids: list) -> None:
    ordered = list(dict.fromkeys(uuid.UUID(str(i)) for i in member_ids if i))
    if not ordered:
        raise _invalid(_("Nommez au moins une personne d’astreinte."), member_ids=_("Obligatoire."))
    if len(ordered) > MAX_MEMBERS:
        raise _invalid(_("Vingt personnes au plus."), member_ids=_("Trop de personnes."))
    users = {u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(ordered), User.active.is_(True)))}
    if len(users) != len(ordered):
        raise _invalid(_("Une des personnes choisies est inconnue."), member_ids=_("Choix invalide."))
    rota.members.clear()
    db.session.flush()
    for position, user_id in enumerate(ordered):
        rota.members.append(RotaMember(user_id=user_id, user=users[user_id], position=position))


def create_rota(actor: User, unit: OrgUnit, *, member_ids: list, **fields) -> Rota:
    if not policy.can_create_rota(actor, unit):
        raise _forbidden()
    _check(fields)
    rota = Rota(unit_id=unit.id, unit=unit, **{k: v for k, v in fields.items() if k in ROTA_FIELDS})
    db.session.add(rota)
    _set_members(rota, member_ids)
    db.session.flush()
    record(actor, "oncall.rota_created", rota, after=_state(rota))
    return rota


def update_rota(actor: User, rota: Rota, *, member_ids: list | None = None, version: int | None = None,
                **fields) -> Rota:
    if not policy.can_edit_rota(actor, rota):
        raise _forbidden()
    _check(fields)

    def change() -> Rota:
        if version is not None and version != rota.version:
            raise Conflict(_("La rotation a été modifiée entre-temps : rechargez-la."), rota)
        before = _state(rota)
        for key, value in fields.items():
            if key in ROTA_FIELDS and value is not None:
                setattr(rota, key, value)
        if member_ids is not None:
            _set_members(rota, member_ids)
        rota.updated_at = utcnow()
        db.session.flush()
        record(actor, "oncall.rota_updated", rota, before=before, after=_state(rota))
        return rota

    return compare_and_set(change)


def rotas_for(user: User) -> list[Rota]:
    """The rotas a person is in, or may set (their units' for a head of service, every one for admins)."""
    rotas = db.session.scalars(db.select(Rota).order_by(Rota.name)).all()
    return [r for r in rotas if policy.can_view_rota(user, r)]


# --- absences and overrides ------------------------------------------------------------------------------

def add_absence(actor: User, starts_on: date, ends_on: date) -> Absence:
    if ends_on < starts_on:
        raise _invalid(_("La fin de l’absence précède son début."), ends_on=_("Date invalide."))
    item = Absence(user_id=actor.id, starts_on=starts_on, ends_on=ends_on)
    db.session.add(item)
    db.session.flush()
    record(actor, "oncall.absence_added", item, after={"starts_on": starts_on, "ends_on": ends_on})
    return item


def remove_absence(actor: User, item: Absence) -> None:
    if item.user_id != actor.id:
        raise DomainError(_("Cette absence n’est pas la vôtre."), status=403)
    record(actor, "oncall.absence_removed", item, before={"starts_on": item.starts_on, "ends_on": item.ends_on})
    db.session.delete(item)
    db.session.flush()


def absences_of(user: User, since: date) -> list[Absence]:
    return list(db.session.scalars(db.select(Absence).where(Absence.user_id == user.id, Absence.ends_on >= since)
                                   .order_by(Absence.starts_on)).all())


def add_override(actor: User, rota: Rota, user_id, starts_at: datetime, ends_at: datetime) -> Override:
    if not policy.can_edit_rota(actor, rota):
        raise _forbidden()
    if ends_at <= starts_at:
        raise _invalid(_("La fin précède le début."), ends_at=_("Date invalide."))
    if not any(m.user_id == user_id for m in rota.members):
        raise _invalid(_("Cette personne n’est pas de la rotation."), user_id=_("Choix invalide."))
    item = Override(rota_id=rota.id, user_id=user_id, starts_at=starts_at, ends_at=ends_at, created_by_id=actor.id)
    db.session.add(item)
    db.session.flush()
    record(actor, "oncall.override_added", rota, after={"user": str(user_id), "starts_at": starts_at,
                                                        "ends_at": ends_at})
    return item


# --- swaps ------------------------------------------------------------------------------------------------

def my_upcoming(user: User, rota: Rota, now: datetime) -> list[Shift]:
    return [s for s in upcoming(rota, now) if s.user.id == user.id and s.ends_at > now]


def ask_swap(actor: User, rota: Rota, shift_starts_at: datetime, target_id, now: datetime | None = None) -> Swap:
    """Ask ``target`` to take one of the actor's coming shifts; the actor takes the target's next shift in
    return (none: a plain replacement)."""
    now = now or utcnow()
    if not policy.can_ask_swap(actor, rota):
        raise DomainError(_("Réservé aux membres de la rotation."), status=403)
    target = db.session.get(User, uuid.UUID(str(target_id))) if target_id else None
    if target is None or target.id == actor.id or not any(m.user_id == target.id for m in rota.members):
        raise _invalid(_("Choisissez un·e autre membre de la rotation."), target_id=_("Choix invalide."))
    shifts = upcoming(rota, now)
    mine = next((s for s in shifts if s.user.id == actor.id and s.starts_at == shift_starts_at and s.ends_at > now),
                None)
    if mine is None:
        raise _invalid(_("Ce tour n’est pas (ou plus) le vôtre."), shift=_("Choix invalide."))
    theirs = next((s for s in shifts if s.user.id == target.id and s.ends_at > now
                   and (s.ends_at <= mine.starts_at or s.starts_at >= mine.ends_at)), None)
    swap = Swap(rota_id=rota.id, requester_id=actor.id, target_id=target.id, shift_starts_at=mine.starts_at,
                shift_ends_at=mine.ends_at, return_starts_at=theirs.starts_at if theirs else None,
                return_ends_at=theirs.ends_at if theirs else None)
    db.session.add(swap)
    db.session.flush()
    record(actor, "oncall.swap_asked", swap, after={"target": str(target.id), "shift": mine.starts_at,
                                                    "return": theirs.starts_at if theirs else None})
    notify([target], kind="oncall.swap", title=_l("Astreinte : échange demandé"),
           body=_l("Un·e collègue vous demande d’échanger un tour d’astreinte."), url=rota_url(rota))
    return swap


def _settle(swap: Swap, status: str, now: datetime) -> bool:
    """Move a pending swap to ``status``, once: the database decides between two phones answering."""
    changed = db.session.execute(
        db.update(Swap).where(Swap.id == swap.id, Swap.status == "pending").values(status=status, decided_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(swap)
    return bool(changed)


def _already(swap: Swap) -> Conflict:
    words = {"accepted": _("Cet échange a déjà été accepté."), "declined": _("Cet échange a déjà été refusé."),
             "cancelled": _("Cet échange a été annulé.")}
    return Conflict(words.get(swap.status, _("Cet échange n’est plus en attente.")), swap)


def accept_swap(actor: User, swap: Swap, now: datetime | None = None) -> Swap:
    now = now or utcnow()
    if not policy.can_answer_swap(actor, swap):
        raise DomainError(_("Seule la personne sollicitée peut répondre."), status=403)
    if not _settle(swap, "accepted", now):
        raise _already(swap)
    legs = [(swap.target_id, swap.shift_starts_at, swap.shift_ends_at)]
    if swap.return_starts_at is not None:
        legs.append((swap.requester_id, swap.return_starts_at, swap.return_ends_at))
    try:
        with db.session.begin_nested():
            for leg, (user_id, starts_at, ends_at) in enumerate(legs):
                db.session.add(Override(rota_id=swap.rota_id, user_id=user_id, starts_at=starts_at, ends_at=ends_at,
                                        swap_id=swap.id, leg=leg, created_by_id=actor.id))
    except IntegrityError:
        raise _already(swap) from None
    record(actor, "oncall.swap_accepted", swap, after={"status": "accepted"})
    notify([swap.requester], kind="oncall.swap_accepted", title=_l("Astreinte : échange accepté"),
           body=_l("Votre demande d’échange de tour a été acceptée."), url=rota_url(swap.rota))
    return swap


def decline_swap(actor: User, swap: Swap, now: datetime | None = None) -> Swap:
    if not policy.can_answer_swap(actor, swap):
        raise DomainError(_("Seule la personne sollicitée peut répondre."), status=403)
    if not _settle(swap, "declined", now or utcnow()):
        raise _already(swap)
    record(actor, "oncall.swap_declined", swap, after={"status": "declined"})
    notify([swap.requester], kind="oncall.swap_declined", title=_l("Astreinte : échange refusé"),
           body=_l("Votre demande d’échange de tour a été refusée."), url=rota_url(swap.rota))
    return swap


def cancel_swap(actor: User, swap: Swap, now: datetime | None = None) -> Swap:
    """The requester withdraws a swap nobody has answered yet (409 once it is accepted or declined)."""
    if not policy.can_cancel_swap(actor, swap):
        raise DomainError(_("Seule la personne qui a demandé l’échange peut l’annuler."), status=403)
    if not _settle(swap, "cancelled", now or utcnow()):
        raise _already(swap)
    record(actor, "oncall.swap_cancelled", swap, after={"status": "cancelled"})
    notify([swap.target], kind="oncall.swap_cancelled", title=_l("Astreinte : échange annulé"),
           body=_l("La demande d’échange de tour qui vous était adressée a été annulée."), url=rota_url(swap.rota))
    return swap


def swaps_asked_of(user: User) -> list[Swap]:
    return list(db.session.scalars(db.select(Swap).where(Swap.target_id == user.id, Swap.status == "pending")
                                   .order_by(Swap.created_at)).all())


def pending_swaps(rota: Rota) -> list[Swap]:
    return list(db.session.scalars(db.select(Swap).where(Swap.rota_id == rota.id, Swap.status == "pending")
                                   .order_by(Swap.created_at)).all())


# --- one's shifts and the calendar link --------------------------------------------------------------------

def shifts_of(user: User, since: datetime, until: datetime) -> list[tuple[Rota, Shift]]:
    rotas = db.session.scalars(db.select(Rota).join(RotaMember).where(RotaMember.user_id == user.id)).all()
    result = []
    for rota in rotas:
        start, _end = turn_bounds(rota, turn_index(rota, since))
        state = RotaState.load(rota, start, until)
        result.extend((rota, s) for s in state.shifts(start, until) if s.user.id == user.id and s.ends_at > since)
    return sorted(result, key=lambda pair: pair[1].starts_at)


def feed_token(user: User) -> FeedToken | None:
    return db.session.get(FeedToken, user.id)


def renew_feed_token(user: User) -> FeedToken:
    """A new secret link; the previous one (if any) stops working at once."""
    item = feed_token(user)
    if item is None:
        item = FeedToken(user_id=user.id)
        db.session.add(item)
    item.token = secrets.token_urlsafe(32)
    item.created_at = utcnow()
    db.session.flush()
    record(user, "oncall.feed_renewed", user, after={"created_at": item.created_at})
    return item


def revoke_feed_token(user: User) -> None:
    item = feed_token(user)
    if item is not None:
        db.session.delete(item)
        db.session.flush()
        record(user, "oncall.feed_revoked", user)


def user_for_feed(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    item = db.session.scalar(db.select(FeedToken).where(FeedToken.token == token))
    if item is None or not secrets.compare_digest(item.token, token):
        return None
    user = db.session.get(User, item.user_id)
    return user if user is not None and user.active else None


def feed_window(now: datetime) -> tuple[datetime, datetime]:
    return now - timedelta(days=30), now + timedelta(days=120)
