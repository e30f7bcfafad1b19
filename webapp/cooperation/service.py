"""The anti-manuel's rules and their versions. Other domains read the rules through ``rule_for`` (the
applicable rule of the agreed version for a note) and ``suggestion`` (the new-note form).

Choices the source leaves open, made here:

* **Head of service.** The services tree has no "head" field: the head is the active person of the unit
  who manages someone and whose own manager is not in the unit; it is stored on the anti-manuel when it
  is opened, so that a later move does not change who agreed.
* **Which anti-manuel applies to a note.** The one of the note's service; without one, its direction's.
* **Editing a proposed version** sends it back to draft and forgets the agreements already given: an
  agreement is to a set of rules, not to a version number.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from webapp.accounts.models import OrgUnit, User
from webapp.accounts.roles import current_mandate_id, today
from webapp.cooperation import wording
from webapp.cooperation.models import (
    CHANNELS,
    DECIDERS,
    MODALITIES,
    OPEN_STATUSES,
    PRESENCES,
    Agreement,
    Charter,
    CharterVersion,
    Rule,
    SituationType,
)
from webapp.core.audit import record
from webapp.core.clock import utcnow
from webapp.core.concurrency import compare_and_set
from webapp.core.errors import Conflict, DomainError
from webapp.extensions import db
from webapp.organisation.models import Elu, EluFunction, delegation_unit

# The catalogue to start from (003:640-650): key, label, default modality, days, urgent.
CATALOGUE = (
    ("decision_courante", _l("Décision courante"), "note", 7, False),
    ("decision_urgente", _l("Décision urgente"), "oncall", 1, True),
    ("arbitrage", _l("Arbitrage entre services"), "weekly_meeting", 10, False),
    ("information", _l("Information"), "note", 7, False),
    ("crise", _l("Crise hors heures ouvrées"), "oncall", 0, True),
    ("presse", _l("Sollicitation presse"), "call", 1, True),
    ("commission", _l("Préparation de commission"), "note", 14, False),
)
RULE_FIELDS = ("modality", "delegatee_id", "deadline_days", "shortenable", "deciders", "channel", "quiet_start",
               "quiet_end", "urgent", "presence", "argument")


def _invalid(message: str, **fields) -> DomainError:
    return DomainError(message, fields={k: [v] for k, v in fields.items()}, status=422)


# --- the catalogue --------------------------------------------------------------------------------

def catalogue() -> list[SituationType]:
    """The situation types, the starting catalogue written on first use (once, by its unique keys)."""
    types = db.session.scalars(db.select(SituationType).order_by(SituationType.position, SituationType.label)).all()
    known = {t.key for t in types}
    missing = [row for row in CATALOGUE if row[0] not in known]
    if missing and not known & {row[0] for row in CATALOGUE}:
        try:
            with db.session.begin_nested():  # two first uses at once: the unique keys keep one catalogue
                for position, (key, label, modality, days, urgent) in enumerate(CATALOGUE):
                    with force_locale("fr"):  # stored in French; shown through ``type_label``
                        label = str(label)
                    db.session.add(SituationType(key=key, label=label, position=position,
                                                 default_modality=modality, default_days=days,
                                                 default_urgent=urgent))
        except IntegrityError:
            pass
        return catalogue()
    return list(types)


def type_label(kind: SituationType) -> str:
    """The catalogue's own entries in the reader's language; a pair's own entries as written."""
    label = _DEFAULT_LABELS.get(kind.key)
    return str(label) if label is not None else kind.label


_DEFAULT_LABELS = {row[0]: row[1] for row in CATALOGUE}


def add_situation_type(actor: User, label: str) -> SituationType:
    """A new entry of the shared catalogue (a pair's own kind of situation)."""
    label = (label or "").strip()[:120]
    if not label:
        raise _invalid(_("Nommez le type de situation."), label=_("Obligatoire."))
    if db.session.scalar(db.select(SituationType.id).where(db.func.lower(SituationType.label) == label.lower())):
        raise _invalid(_("Ce type de situation existe déjà."), label=_("Déjà dans le catalogue."))
    item = SituationType(key=f"custom_{uuid.uuid4().hex[:12]}", label=label, position=1000, created_by_id=actor.id)
    db.session.add(item)
    db.session.flush()
    record(actor, "coop.situation_type_added", item, after={"label": label})
    return item


# --- who is who -----------------------------------------------------------------------------------

def head_of(unit: OrgUnit) -> User | None:
    """The active person of the unit who manages someone and whose manager is outside the unit."""
    candidate, boss, report = db.aliased(User), db.aliased(User), db.aliased(User)
    manages = db.select(report.id).where(report.manager_id == candidate.id, report.active.is_(True)).exists()
    return db.session.scalars(
        db.select(candidate).outerjoin(boss, boss.id == candidate.manager_id)
        .where(candidate.unit_id == unit.id, candidate.active.is_(True), manages,
               db.or_(boss.id.is_(None), boss.unit_id.is_distinct_from(unit.id)))
        .order_by(candidate.name)).first()


def referent_elus(unit: OrgUnit) -> list[User]:
    """The élus of the current mandate whose delegation covers the unit or its direction."""
    unit_ids = [unit.id] + ([unit.parent_id] if unit.parent_id else [])
    return list(db.session.scalars(
        db.select(User).join(Elu, Elu.user_id == User.id).join(EluFunction, EluFunction.elu_id == Elu.id)
        .join(delegation_unit, delegation_unit.c.function_id == EluFunction.id)
        .where(delegation_unit.c.unit_id.in_(unit_ids), Elu.mandate_id == current_mandate_id(),
               EluFunction.ended_on.is_(None), User.active.is_(True))
        .distinct().order_by(User.name)).all())


def delegation_units(user: User) -> list[OrgUnit]:
    """The units the person's current delegation covers (an élu référent may open their anti-manuels)."""
    return list(db.session.scalars(
        db.select(OrgUnit).join(delegation_unit, delegation_unit.c.unit_id == OrgUnit.id)
        .join(EluFunction, EluFunction.id == delegation_unit.c.function_id).join(Elu, Elu.id == EluFunction.elu_id)
        .where(Elu.user_id == user.id, Elu.mandate_id == current_mandate_id(), EluFunction.ended_on.is_(None))
        .distinct().order_by(OrgUnit.name)).all())


def get_charter(charter_id) -> Charter | None:
    return db.session.get(Charter, charter_id)


def charter_of_unit(unit_id) -> Charter | None:
    return db.session.scalar(db.select(Charter).where(Charter.unit_id == unit_id)) if unit_id else None


def charters_of(user: User) -> list[Charter]:
    """The anti-manuels a person takes part in (head, élu référent) or works under (their unit's)."""
    parent = user.unit.parent_id if user.unit is not None else None
    mine = charters_of_clause(user.id, user.unit_id, parent)
    return list(db.session.scalars(db.select(Charter).join(OrgUnit, OrgUnit.id == Charter.unit_id).where(mine)
                                   .order_by(OrgUnit.name)).all())


def charters_of_clause(user_id, unit_id, parent_id):
    """``charters_of``'s rule, of values or SQL expressions (the home page's fact asks it in SQL)."""
    from webapp.cooperation.models import charter_elu

    mine = db.select(charter_elu.c.charter_id).where(charter_elu.c.user_id == user_id)
    return db.or_(Charter.id.in_(mine), Charter.head_id == user_id, Charter.unit_id == unit_id,
                  Charter.unit_id == parent_id)


# --- opening and versions -------------------------------------------------------------------------

def open_charter(actor: User, unit: OrgUnit, *, elu_ids=None, head: User | None = None) -> Charter:
    """The anti-manuel of ``unit`` with its first (draft) version; once per unit (unique unit_id)."""
    if charter_of_unit(unit.id) is not None:
        raise DomainError(_("Ce service a déjà son anti-manuel."), status=409)
    head = head or head_of(unit)
    if head is None:
        raise _invalid(_("Ce service n’a pas de responsable identifiable."), unit_id=_("Sans responsable."))
    elus = referent_elus(unit) if elu_ids is None else _people(elu_ids)
    if not elus:
        raise _invalid(_("Aucun·e élu·e référent·e pour ce service."), elu_ids=_("Choisissez au moins un·e élu·e."))
    charter = Charter(unit_id=unit.id, unit=unit, head_id=head.id, head=head, created_by_id=actor.id, elus=elus)
    db.session.add(charter)
    db.session.flush()
    version = CharterVersion(charter=charter, number=1, status="draft", author_id=actor.id)
    db.session.add(version)
    db.session.flush()
    record(actor, "coop.opened", charter, after={"unit": str(unit.id), "head": str(head.id),
                                                 "elus": [str(e.id) for e in elus]})
    return charter


def _people(ids) -> list[User]:
    ids = list(dict.fromkeys(ids or []))
    found = db.session.scalars(db.select(User).where(User.id.in_(ids), User.active.is_(True))).all()
    if len(found) != len(ids):
        raise _invalid(_("Une des personnes choisies est introuvable."), elu_ids=_("Personne introuvable."))
    return list(found)


def agreed_version(charter: Charter | None) -> CharterVersion | None:
    if charter is None:
        return None
    return db.session.scalar(db.select(CharterVersion).where(CharterVersion.charter_id == charter.id,
                                                             CharterVersion.status == "agreed"))


def rules_with_types(version: CharterVersion) -> list[Rule]:
    """The version's rules in order with their situation types, in one statement (lists name each type)."""
    return list(db.session.scalars(db.select(Rule).where(Rule.version_id == version.id)
                                   .options(joinedload(Rule.situation_type)).order_by(Rule.position)))


def open_version(charter: Charter) -> CharterVersion | None:
    return db.session.scalar(db.select(CharterVersion).where(CharterVersion.charter_id == charter.id,
                                                             CharterVersion.status.in_(OPEN_STATUSES)))


def start_version(actor: User, charter: Charter, summary: str = "") -> CharterVersion:
    """The open version, or a new draft copying the agreed rules (at most one open: a unique index)."""
    current = open_version(charter)
    if current is not None:
        return current
    base = agreed_version(charter)
    number = (db.session.scalar(db.select(db.func.max(CharterVersion.number))
                                .where(CharterVersion.charter_id == charter.id)) or 0) + 1
    version = CharterVersion(charter_id=charter.id, charter=charter, number=number, status="draft",
                             author_id=actor.id, summary=summary)
    db.session.add(version)
    for rule in (base.rules if base else []):
        version.rules.append(Rule(situation_type_id=rule.situation_type_id, position=rule.position,
                                  edited_by_id=rule.edited_by_id, edited_at=rule.edited_at,
                                  **{f: getattr(rule, f) for f in RULE_FIELDS}))
    db.session.flush()
    record(actor, "coop.version_started", charter, after={"version": number})
    return version


def _reopen(actor: User, version: CharterVersion) -> None:
    """An edit of a proposed version: back to draft, agreements forgotten (they were to other rules)."""
    if version.status == "proposed":
        version.status = "draft"
        version.proposed_at = None
        version.agreements.clear()
        record(actor, "coop.version_reopened", version.charter, after={"version": version.number})


def _check_rule(values: dict) -> None:
    if values["modality"] not in MODALITIES:
        raise _invalid(_("Modalité inconnue."), modality=_("Invalide."))
    if values["modality"] == "standing_delegation" and not values.get("delegatee_id"):
        raise _invalid(_("Nommez la personne qui reçoit la délégation permanente."),
                       delegatee_id=_("Obligatoire pour une délégation permanente."))
    if values["deciders"] not in DECIDERS:
        raise _invalid(_("Choix inconnu."), deciders=_("Invalide."))
    if values["channel"] not in CHANNELS:
        raise _invalid(_("Canal inconnu."), channel=_("Invalide."))
    if values["presence"] not in PRESENCES:
        raise _invalid(_("Présence inconnue."), presence=_("Invalide."))
    if not 0 <= int(values["deadline_days"]) <= 365:
        raise _invalid(_("Le délai va de 0 à 365 jours."), deadline_days=_("De 0 à 365."))
    quiet = (values.get("quiet_start"), values.get("quiet_end"))
    if (quiet[0] is None) != (quiet[1] is None):
        raise _invalid(_("Donnez le début et la fin des heures calmes, ou aucune."), quiet_start=_("Les deux."))
    if any(h is not None and not 0 <= h <= 23 for h in quiet):
        raise _invalid(_("Une heure va de 0 à 23."), quiet_start=_("De 0 à 23."))


def set_rule(actor: User, version: CharterVersion, situation_type_id, **fields) -> Rule:
    """Add or change the rule of one situation type in an open version."""
    return compare_and_set(lambda: _set_rule(actor, version, situation_type_id, fields))


def _set_rule(actor, version, situation_type_id, fields) -> Rule:
    if version.status not in OPEN_STATUSES:
        raise Conflict(_("Cette version est close : ouvrez-en une nouvelle."), subject=version)
    kind = db.session.get(SituationType, situation_type_id)
    if kind is None:
        raise _invalid(_("Type de situation introuvable."), situation_type_id=_("Introuvable."))
    rule = next((r for r in version.rules if r.situation_type_id == kind.id), None)
    before = rule_values(rule) if rule else None
    values = before or {"modality": kind.default_modality, "delegatee_id": None, "deadline_days": kind.default_days,
                        "shortenable": True, "deciders": "elu", "channel": "push", "quiet_start": None,
                        "quiet_end": None, "urgent": kind.default_urgent, "presence": "none", "argument": ""}
    values = {**values, **{k: v for k, v in fields.items() if k in RULE_FIELDS}}
    if values["modality"] != "standing_delegation":
        values["delegatee_id"] = None
    _check_rule(values)
    if values["delegatee_id"] is not None and db.session.get(User, values["delegatee_id"]) is None:
        raise _invalid(_("Personne introuvable."), delegatee_id=_("Introuvable."))
    if rule is None:
        rule = Rule(situation_type_id=kind.id, situation_type=kind, position=kind.position)
        version.rules.append(rule)
    elif before == values:
        return rule
    for name, value in values.items():
        setattr(rule, name, value)
    rule.edited_by_id, rule.edited_at = actor.id, utcnow()
    _reopen(actor, version)
    version.author_id = version.author_id or actor.id
    db.session.flush()
    record(actor, "coop.rule_set", version.charter, before=before,
           after={**values, "type": kind.label, "version": version.number})
    return rule


def remove_rule(actor: User, version: CharterVersion, rule: Rule) -> None:
    if version.status not in OPEN_STATUSES or rule.version_id != version.id:
        raise Conflict(_("Cette version est close : ouvrez-en une nouvelle."), subject=version)
    before = {**rule_values(rule), "type": rule.situation_type.label}
    version.rules.remove(rule)
    _reopen(actor, version)
    db.session.flush()
    record(actor, "coop.rule_removed", version.charter, before=before, after={"version": version.number})


def rule_values(rule: Rule) -> dict:
    return {f: getattr(rule, f) for f in RULE_FIELDS}


def signers(charter: Charter) -> list[tuple[User, str]]:
    """Who must agree a version: each élu référent and the head of service."""
    return [(e, "elu") for e in charter.elus] + [(charter.head, "head")]


def _expect(version: CharterVersion, expected: int | None) -> None:
    """The client read ``expected``: someone changed the version since (409 with its current state)."""
    if expected is not None and expected != version.version:
        raise Conflict(_("Cette version a changé depuis votre lecture : relisez-la."), subject=version)


def propose(actor: User, version: CharterVersion, summary: str = "", expected: int | None = None) -> CharterVersion:
    return compare_and_set(lambda: _propose(actor, version, summary, expected))


def _propose(actor, version, summary, expected=None) -> CharterVersion:
    _expect(version, expected)
    if version.status != "draft":
        raise Conflict(_("Cette version n’est plus un brouillon."), subject=version)
    if not version.rules:
        raise _invalid(_("Ajoutez au moins une règle avant de proposer la version."), rules=_("Aucune règle."))
    version.status, version.proposed_at = "proposed", utcnow()
    if summary.strip():
        version.summary = summary.strip()[:2000]
    db.session.flush()
    record(actor, "coop.proposed", version.charter, after={"version": version.number, "summary": version.summary})
    return version


def agree(actor: User, version: CharterVersion, now: datetime | None = None,
          expected: int | None = None) -> CharterVersion:
    """The actor's agreement; the last one needed puts the version in force (the previous one superseded)."""
    now = now or utcnow()
    return compare_and_set(lambda: _agree(actor, version, now, expected))


def _agree(actor, version, now, expected=None) -> CharterVersion:
    _expect(version, expected)
    if version.status != "proposed":
        raise Conflict(_("Cette version n’attend pas d’accord."), subject=version)
    side = next((s for person, s in signers(version.charter) if person.id == actor.id), None)
    if side is None:
        raise DomainError(_("Seuls les élus référents et le responsable du service approuvent."), status=403)
    if any(a.user_id == actor.id for a in version.agreements):
        return version
    version.agreements.append(Agreement(user_id=actor.id, user=actor, side=side, agreed_at=now))
    record(actor, "coop.agreed", version.charter, after={"version": version.number, "side": side})
    needed = {p.id for p, _s in signers(version.charter)}
    if needed <= {a.user_id for a in version.agreements}:
        _put_in_force(version, now)
    db.session.flush()
    return version


def _put_in_force(version: CharterVersion, now: datetime) -> None:
    previous = agreed_version(version.charter)
    if previous is not None:
        previous.status = "superseded"
        db.session.flush()  # the unique "one open" index and the partial reads see it superseded first
    version.status, version.agreed_at = "agreed", now
    if version.charter.first_agreed_at is None:
        version.charter.first_agreed_at = now
    record(None, "coop.in_force", version.charter, after={"version": version.number})


# --- what other domains read ----------------------------------------------------------------------

def _charter_for_unit_or_direction(unit_id) -> Charter | None:
    if unit_id is None:
        return None
    unit = db.session.get(OrgUnit, unit_id)
    charter = charter_of_unit(unit_id)
    if charter is None and unit is not None and unit.parent_id is not None:
        charter = charter_of_unit(unit.parent_id)
    return charter


def rule_for_unit(unit_id, situation_type_id) -> Rule | None:
    """The rule of the agreed version for this type in the unit's anti-manuel (or its direction's)."""
    if situation_type_id is None:
        return None
    version = agreed_version(_charter_for_unit_or_direction(unit_id))
    if version is None:
        return None
    return next((r for r in version.rules if r.situation_type_id == situation_type_id), None)


def rule_for(note) -> Rule | None:
    """The applicable rule of the agreed version for a note (its service, its situation type), or None."""
    return rule_for_unit(note.unit_id, getattr(note, "situation_type_id", None))


def rules_in_force(unit_id) -> dict:
    """{situation type id: rule} of the agreed version for the unit (the new-note form's suggestions)."""
    version = agreed_version(_charter_for_unit_or_direction(unit_id))
    return {r.situation_type_id: r for r in version.rules} if version else {}


def suggested_deadline(rule: Rule, now: datetime | None = None):
    """The day the rule's default deadline falls on (a note's deadline is given as a day)."""
    return today() + timedelta(days=rule.deadline_days) if now is None else (now + timedelta(
        days=rule.deadline_days)).date()


def situation_type(type_id) -> SituationType | None:
    return db.session.get(SituationType, type_id) if type_id else None


def modality_label(rule: Rule) -> str:
    text = wording.label(wording.MODALITY_LABELS, rule.modality)
    if rule.modality == "standing_delegation" and rule.delegatee is not None:
        return _("%(modality)s à %(name)s", modality=text, name=rule.delegatee.name)
    return text


def default_argument(rule: Rule) -> str:
    return _("Délai de l’anti-manuel pour « %(type)s » : %(days)d jours.", type=type_label(rule.situation_type),
             days=rule.deadline_days)
