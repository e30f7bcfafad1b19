"""The testimonies' part of the demo authority: what each demo body does, as the public site shows it.
(No video: the demo has no interview to show; the assemblies service films one from its phone.)

Idempotent: a body that already has its presentation keeps it."""

from __future__ import annotations

from webapp.accounts.models import OrgUnit, User
from webapp.extensions import db
from webapp.testimonies import service

SUMMARIES = {
    "Commission permanente": "Elle décide, entre deux séances plénières, de l’essentiel des subventions, "
                             "conventions et marchés que l’assemblée lui a délégués.",
    "Commission Solidarités": "Elle examine avant la séance les rapports sur l’autonomie, le handicap et "
                              "l’insertion, et entend les services et les partenaires.",
    "Foyer rural des Crêtes": "L’association anime la vie du village : l’élu titulaire siège à son conseil "
                              "d’administration, vote le budget et suit les projets soutenus par la collectivité.",
}


def build() -> None:
    clerk = db.session.scalar(db.select(User).join(OrgUnit).where(OrgUnit.kind == "assemblies").limit(1))
    if clerk is None:
        return
    for body in service.bodies():
        if body.name in SUMMARIES and not service.body_summary(body):
            service.set_body_summary(clerk, body, SUMMARIES[body.name])
    db.session.flush()
