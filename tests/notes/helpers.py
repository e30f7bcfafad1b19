"""A small world of people around one note, and notes built in any state through the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.notes import service

BODY = "## Contexte\n\nLe budget prévu couvre deux sites pilotes.\n\nLe calendrier suppose un vote en juin."


@dataclass
class World:
    author: object
    manager: object
    elu: object
    concerned: object
    delegatee: object
    unrelated: object
    other_elu: object
    cabinet: object

    def persona(self, name: str):
        return None if name == "anonymous" else getattr(self, name)


PERSONAS = ["author", "manager", "elu", "concerned", "delegatee", "unrelated", "other_elu", "cabinet", "anonymous"]


def world(make) -> World:
    unit = make.unit("Enfance et famille")
    manager, author = make.manager_with_agent(unit)
    return World(
        author=author, manager=manager,
        elu=make.elu("Élue Destinataire", functions=[{"kind": "vice_president", "delegation": "Enfance",
                                                       "units": [unit]}]),
        concerned=make.agent("Agent Concerné", unit=unit, manager=manager),
        delegatee=make.agent("Agent Délégataire", unit=unit, manager=manager),
        unrelated=make.agent("Agent Extérieur"),
        other_elu=make.elu("Autre Élu"),
        cabinet=make.cabinet(),
    )


def note_in(w: World, state: str, *, days: float = 5, options=("Deux sites pilotes", "Tous les sites")):
    """A note by ``w.author`` to ``w.elu`` brought to ``state`` through the service, committed."""
    note = service.create_note(w.author, title="Horaires des lieux d’accueil", body=BODY,
                               addressee_ids=[w.elu.id], concerned_ids=[w.concerned.id], options=list(options),
                               proposed_deadline=utcnow() + timedelta(days=days),
                               proposed_argument="Le vote a lieu juste après.")
    if state != "draft":
        service.submit(w.author, note)
    if state not in ("draft", "submitted"):
        service.agree(w.manager, note)
    if state == "question":
        service.answer(w.elu, note, kind="question", text="Quel coût pour tous les sites ?")
    if state == "delegated":
        service.delegate(w.elu, note, [w.delegatee.id], "Décidez avec le service.")
    if state == "renegotiation":
        service.request_renegotiation(w.elu, note, note.deadline + timedelta(days=7), "Session budgétaire.")
    if state == "decided":
        service.answer(w.elu, note, kind="decision", verdict="approve")
    db.session.commit()
    return note
