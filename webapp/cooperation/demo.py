"""The cooperation part of the demo authority: the anti-manuel of the tour's vice-président's service,
agreed four months ago with four situation types, then a version 2 agreed last week (informations in 3
days instead of 7, press requests added), so that the history shows a diff and a newcomer of the service
finds the rules in force.

Idempotent: nothing is done when the service already has its anti-manuel.
"""

from __future__ import annotations

from datetime import timedelta

from webapp.accounts.demo import member
from webapp.cooperation import service
from webapp.core.clock import utcnow
from webapp.extensions import db

FIRST = {
    "decision_courante": {"modality": "note", "deadline_days": 7, "deciders": "elu_or_head",
                          "argument": "Note en stock : réponse dans la semaine."},
    "decision_urgente": {"modality": "oncall", "deadline_days": 1, "urgent": True, "shortenable": False,
                         "channel": "push", "argument": "L’élu·e d’astreinte répond dans la journée."},
    "information": {"modality": "note", "deadline_days": 7, "quiet_start": 20, "quiet_end": 8},
    "arbitrage": {"modality": "weekly_meeting", "deadline_days": 10, "presence": "meeting",
                  "argument": "Tranché au point hebdomadaire du lundi."},
}
SECOND = {
    "information": {"deadline_days": 3},
    "presse": {"modality": "call", "deadline_days": 1, "urgent": True, "deciders": "elu",
               "argument": "Un appel avant toute réponse à un·e journaliste."},
}


def _agreed(actor, charter, rules: dict, summary: str, when) -> None:
    version = service.start_version(actor, charter, summary)
    for key, fields in rules.items():
        kind = next(t for t in service.catalogue() if t.key == key)
        service.set_rule(actor, version, kind.id, **fields)
    service.propose(actor, version, summary)
    for person, _side in service.signers(charter):
        service.agree(person, version, now=when)
    version.created_at = version.proposed_at = when - timedelta(days=2)
    for rule in version.rules:
        if rule.situation_type.key in rules:
            rule.edited_at = when - timedelta(days=2)
    db.session.flush()


def build() -> None:
    elu = member("elu")
    term = next(iter(elu.elu_terms), None) if elu else None
    # The tour agent's service when the VP's delegation covers it (a delegation's units have no order).
    agent = member("agent")
    units = sorted((u for f in (term.functions if term else []) for u in f.units),
                   key=lambda u: (agent is None or u.id != agent.unit_id, u.name))
    if not units or service.charter_of_unit(units[0].id) is not None:
        return
    unit = units[0]
    head = service.head_of(unit)
    if head is None or not service.referent_elus(unit):
        return
    charter = service.open_charter(head, unit)
    now = utcnow()
    _agreed(head, charter, FIRST, "Premières règles du jeu, écrites ensemble en réunion de service.",
            now - timedelta(days=120))
    _agreed(elu, charter, SECOND, "Les informations en 3 jours ; les sollicitations presse ajoutées.",
            now - timedelta(days=7))
