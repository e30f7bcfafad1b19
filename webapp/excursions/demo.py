"""Demo excursions for the demo authority (webapp/accounts/demo.py): the tour's agent has one tomorrow
and one later, prepared, and one done with a mini-bilan. Idempotent: each excursion is found by its title
and organiser before it is created."""

from __future__ import annotations

from datetime import timedelta

from webapp.accounts.demo import member
from webapp.accounts.models import User
from webapp.core.clock import utcnow
from webapp.excursions import service
from webapp.excursions.models import Excursion
from webapp.extensions import db
from webapp.organisation.models import EluFunction

EXCURSIONS = [
    # (title, days from now, done)
    ("Accueil du public à la maison des solidarités de Saint-Rémy", 1, False),
    ("Lieu d’accueil enfants-parents : un samedi matin", 10, False),
    ("Visite d’une crèche à vocation d’insertion professionnelle", -20, True),
]
QUESTIONS = ["Qu’est-ce qui vous a amené ici aujourd’hui ?", "Qu’est-ce qui vous a manqué la dernière fois ?",
             "Que changeriez-vous en premier ?"]
CHECKLIST = ["Photos des lieux (sans visage sans accord)", "Temps d’attente relevé", "Affichage et signalétique"]


def build() -> None:
    """Create the demo excursions once."""
    agent = member("agent")
    if agent is None:
        return
    elu = _elu_for(agent)
    if elu is None:
        return
    for title, days, done in EXCURSIONS:
        if db.session.scalar(db.select(Excursion).where(Excursion.title == title, Excursion.organiser_id == agent.id)):
            continue
        _make(agent, elu, title, days, done)
    db.session.flush()


def _elu_for(agent: User) -> User | None:
    """The vice-président whose delegation covers the agent's service, else any élu."""
    elus = service.eligible_elus()
    for user in elus:
        functions = db.session.scalars(db.select(EluFunction).where(EluFunction.elu.has(user_id=user.id))).all()
        if any(agent.unit in f.units for f in functions):
            return user
    return elus[0] if elus else None


def _make(agent: User, elu: User, title: str, days: int, done: bool) -> None:
    starts = (utcnow() + timedelta(days=days)).replace(hour=8, minute=0, second=0, microsecond=0)
    excursion = service.create_excursion(
        agent, title=title, elu_ids=[elu.id], starts_at=starts, duration_minutes=150,
        dossier="Préparer le passage du dossier en commission Solidarités et santé.",
        places=[{"name": "Maison des solidarités", "address": "12 rue des Tilleuls, Saint-Rémy",
                 "latitude": 45.1885, "longitude": 5.7245}],
        people=[{"name": "Responsable de site", "role": "accueil"}, {"name": "Familles présentes", "role": "usagers"}],
        questions=QUESTIONS, checklist=CHECKLIST)
    if done:
        service.acknowledge(elu, excursion)
        service.mark_done(agent, excursion)
        service.update_bilan(agent, excursion, if_match=service.bilan_etag(excursion),
                             text="Les familles découvrent le dispositif par le bouche-à-oreille.",
                             surprises="Le samedi matin est le seul créneau possible pour beaucoup de parents.")
