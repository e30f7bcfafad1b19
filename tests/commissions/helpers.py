"""A small world around one commission: its members from two groups, a service and its agents,
aperçus built through the service."""

from __future__ import annotations

from dataclasses import dataclass

from webapp.commissions import service
from webapp.extensions import db


@dataclass
class World:
    commission: object
    president: object
    member: object  # an élu of the majority, member of the commission
    opposition: object  # an élu of the opposition, member of the commission
    outsider_elu: object  # an élu of the majority, not a member
    author: object  # the agent who writes the aperçu
    colleague: object  # another agent of the same service (involved)
    other_agent: object  # an agent of another service
    assemblies: object
    cabinet: object
    unit: object

    def persona(self, name: str):
        return None if name == "anonymous" else getattr(self, name)


def world(make, name: str = "Solidarités et santé", theme: str = "Solidarités") -> World:
    commission = make.commission(name)
    commission.theme = theme
    president = make.elu("Présidente Commission", functions=[{"kind": "commission_president",
                                                              "commission": commission}])
    member = make.elu("Élu Majorité")
    opposition = make.elu("Élue Opposition", group="Opposition unie")
    outsider = make.elu("Élu Hors Commission")
    commission.members.extend([president, member, opposition])
    db.session.commit()
    unit = make.unit("Enfance et famille")
    boss, author = make.manager_with_agent(unit)
    colleague = make.agent("Collègue du service", unit=unit, manager=boss)
    return World(commission=commission, president=president, member=member, opposition=opposition,
                 outsider_elu=outsider, author=author, colleague=colleague,
                 other_agent=make.agent("Agent d’un autre service"), assemblies=make.assemblies(),
                 cabinet=make.cabinet(), unit=unit)


def apercu(w: World, title: str = "Accueil familial renforcé", submit: bool = True):
    a = service.create_apercu(w.author, {
        "title": title, "commission_id": w.commission.id, "problem": "Manque de places adaptées.",
        "target_public": "Enfants confiés", "expected_results": "Recruter 60 assistants familiaux.",
        "obtained_results": "62 recrutés.",
        "key_figures": [{"label": "Assistants familiaux recrutés", "value": "62", "unit": "personnes",
                         "date": "31/12/2025"}]})
    if submit:
        service.submit_apercu(w.author, a)
    db.session.commit()
    return a


def signed(app, user):
    """A client of its own for one person (None: an anonymous visitor)."""
    client = app.test_client()
    if user is not None:
        client.login(user)
    return client
