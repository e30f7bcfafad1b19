"""The anti-manuel's rules applied to notes (issue 15, read through ``cooperation.service``).

* A draft's situation type suggests its rule's deadline and argument when the author gave none, and
  the form names the modality.
* A rule that may not be shortened refuses a proposed deadline earlier than its default.
* A standing delegation routes the sent note to its delegatee (the élu's decision, handed over in the
  agreed anti-manuel) and tells the élu.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.core.audit import record
from webapp.core.clock import to_paris
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.push.service import notify


def _coop():
    from webapp.cooperation import service

    return service


def apply_to_draft(note, fields: dict, deadline_from_day) -> None:
    """Set the draft's situation type; its rule fills the deadline and argument left empty."""
    if "situation_type_id" in fields:
        type_id = fields["situation_type_id"]
        if type_id is not None and _coop().situation_type(type_id) is None:
            raise DomainError(_("Type de situation introuvable."), status=422,
                              fields={"situation_type_id": [_("Type de situation introuvable.")]})
        note.situation_type_id = type_id
    rule = _coop().rule_for(note)
    if rule is None:
        return
    if note.proposed_deadline is None:
        note.proposed_deadline = deadline_from_day(_coop().suggested_deadline(rule))
    if not (note.proposed_argument or "").strip():
        note.proposed_argument = rule.argument or _coop().default_argument(rule)


def deadline_problems(note, now: datetime) -> dict:
    """A rule that may not be shortened: the proposed day may not come before its default day."""
    rule = _coop().rule_for(note)
    if rule is None or rule.shortenable or note.proposed_deadline is None:
        return {}
    earliest = to_paris(now).date() + timedelta(days=rule.deadline_days)
    if to_paris(note.proposed_deadline).date() < earliest:
        return {"proposed_deadline": [_("L’anti-manuel fixe au moins %(days)d jours pour ce type de situation.",
                                        days=rule.deadline_days)]}
    return {}


def route_sent(note, now: datetime, url: str) -> None:
    """A standing delegation: the decision goes to the named delegatee at once, and the élu is told."""
    from webapp.notes.models import Delegation

    rule = _coop().rule_for(note)
    if rule is None or rule.modality != "standing_delegation" or rule.delegatee is None or not note.addressees:
        return
    elu = note.addressees[0].user
    label = _coop().type_label(rule.situation_type)
    item = Delegation(note=note, by_id=elu.id, by=elu, delegatees=[rule.delegatee], created_at=now,
                      instructions=_("Délégation permanente de l’anti-manuel : %(type)s.", type=label))
    db.session.add(item)
    note.status = "delegated"
    db.session.flush()
    record(None, "note.delegated", note, after={"status": note.status, "delegatees": [str(rule.delegatee.id)],
                                                "standing": True, "rule": str(rule.id)})
    notify([rule.delegatee], kind="note.delegated_to_you", title=_l("Décision déléguée"),
           body=_l("Une note vous est confiée par délégation permanente."), url=url)
    notify(note.addressee_users, kind="note.standing_delegation", title=_l("Note confiée par délégation permanente"),
           body=_l("Selon votre anti-manuel, une note a été confiée à la personne désignée."), url=url)


def form_choices(user) -> list[dict]:
    """The situation types for the new-note form, each with its rule in force for the author's service."""
    coop = _coop()
    rules = coop.rules_in_force(user.unit_id)
    choices = []
    for kind in coop.catalogue():
        rule = rules.get(kind.id)
        choices.append({"id": kind.id, "label": coop.type_label(kind), "rule": rule,
                        "day": coop.suggested_deadline(rule) if rule else None,
                        "argument": (rule.argument or coop.default_argument(rule)) if rule else "",
                        "modality": coop.modality_label(rule) if rule else ""})
    return choices
