"""The forum's part of the demo authority (webapp/accounts/demo.py): three stands described by their
services, a question answered, and one élu's profile started.

Idempotent: a stand is found by its service, the question by its text, the profile by its élu.
"""

from __future__ import annotations

from webapp.accounts.demo import DOMAIN
from webapp.accounts.models import OrgUnit, User
from webapp.extensions import db
from webapp.forum import service
from webapp.forum.models import StandQuestion
from webapp.organisation.models import Elu

STANDS = {
    "Routes": ("Entretien et sécurité des 3 200 km de routes départementales, viabilité hivernale, ouvrages d’art.",
               "Réfection de la RD 12 entre Saint-Aubin et le col ; plan vélo des vallées ; diagnostic des ponts."),
    "Autonomie": ("Allocation personnalisée d’autonomie, prestation de compensation du handicap, "
                  "accompagnement des établissements.",
                  "Plateforme unique de demandes en ligne ; habitat inclusif dans trois bourgs-centres."),
    "Collèges": ("Construction, entretien et équipement des 31 collèges publics ; restauration scolaire.",
                 "Rénovation énergétique de quatre collèges ; cantines en circuit court."),
}
QUESTION = "Quel calendrier pour la réfection de la RD 12 ?"
ANSWER = "Les études s’achèvent en juin ; les travaux sont prévus de septembre à novembre, route ouverte le week-end."


def _unit(name: str) -> OrgUnit | None:
    return db.session.scalar(db.select(OrgUnit).where(OrgUnit.name == name, OrgUnit.kind == "service"))


def _chief(unit: OrgUnit) -> User | None:
    return db.session.scalar(db.select(User).where(User.unit_id == unit.id, User.job_title.like("Chef du service%")))


def build() -> None:
    mandate = service.forum_mandate()
    terms = service.mandate_elus(mandate) if mandate else []
    elu = next((t for t in terms if t.user.email.endswith("@" + DOMAIN)), None)
    for name, (missions, projects) in STANDS.items():
        unit = _unit(name)
        chief = _chief(unit) if unit else None
        if chief is not None and service.stand_of(unit) is None:
            service.update_stand(chief, unit, {"missions": missions, "projects": projects})
    routes = _unit("Routes")
    if elu is not None and routes is not None and _chief(routes) is not None:
        _question(elu, routes)
        _profile(elu)
    db.session.flush()


def _question(elu: Elu, routes: OrgUnit) -> None:
    if db.session.scalar(db.select(StandQuestion).where(StandQuestion.text == QUESTION)) is None:
        question = service.ask(elu.user, routes, text=QUESTION)
        service.answer(_chief(routes), question, ANSWER)


def _profile(elu: Elu) -> None:
    if service.profile_of(elu) is not None:
        return
    service.update_presentation(elu.user, elu, {
        "presentation": "Conseillère départementale du canton des Crêtes, ancienne professeure des écoles.",
        "themes": "collèges, mobilités rurales, autonomie", "preferred_contact": "Courriel, réponse sous 48 h"})
    service.add_unavailability(elu.user, elu, {"weekday": 0, "period": "day", "reason": "activité professionnelle"})
    service.add_interest(elu.user, elu, {"category": "association", "organisation": "Foyer rural des Crêtes",
                                         "role": "présidente"})
