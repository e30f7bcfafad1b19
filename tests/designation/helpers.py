"""A published organisation of the new mandate and an élu with agenda constraints and interests."""

from __future__ import annotations

from datetime import time, timedelta

from tests.forum.helpers import new_elu, new_mandate
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.forum import service as forum
from webapp.organisation import service as organisation


def published_organisation(make, publish: bool = True, mandate=None):
    mandate = mandate or new_mandate(make)
    clerk = make.assemblies()
    cp = organisation.add_body(clerk, mandate, {"kind": "permanent_commission", "name": "Commission permanente"})
    routes = organisation.add_body(clerk, mandate, {"kind": "thematic_commission", "name": "Commission Routes"})
    foyer = organisation.add_body(clerk, mandate, {"kind": "external_body", "name": "Foyer rural des Crêtes"})
    sem = organisation.add_body(clerk, mandate, {"kind": "external_body", "name": "SEM Énergies",
                                                 "conflict_categories": "shareholding"})
    college = organisation.add_body(clerk, mandate, {"kind": "external_body", "name": "Collège Jean Moulin"})
    posts = {
        "cp": organisation.add_post(clerk, cp, {"role": "member", "seats": 20, "function_type": "decision",
                                                "hours_per_month": 6, "weekday": 0, "nth_week": 1,
                                                "starts_at": time(14), "ends_at": time(18)}),
        "vp": organisation.add_post(clerk, cp, {"role": "vice_president", "seats": 8, "function_type": "decision",
                                                "hours_per_month": 30}),
        "routes": organisation.add_post(clerk, routes, {
            "role": "member", "seats": 8, "function_type": "concertation", "hours_per_month": 4, "weekday": 1,
            "nth_week": 2, "starts_at": time(14), "ends_at": time(17)}),
        "foyer": organisation.add_post(clerk, foyer, {"role": "titulaire", "function_type": "representation",
                                                      "hours_per_month": 2, "weekday": 3, "nth_week": 2,
                                                      "starts_at": time(18), "ends_at": time(20)}),
        "sem": organisation.add_post(clerk, sem, {"role": "representative", "function_type": "representation",
                                                  "hours_per_month": 3}),
        "college": organisation.add_post(clerk, college, {"role": "titulaire", "function_type": "representation",
                                                          "hours_per_month": 2, "weekday": 1, "nth_week": 2,
                                                          "starts_at": time(16), "ends_at": time(18)}),
    }
    if publish:
        organisation.schedule_publication(clerk, mandate, utcnow() - timedelta(minutes=1))
    db.session.commit()
    return mandate, clerk, posts


def elu_with_profile(make, mandate, name="Élue Vœux"):
    user, term = new_elu(make, mandate, name)
    forum.add_unavailability(user, term, {"weekday": 1, "period": "afternoon", "reason": "activité professionnelle"})
    forum.add_interest(user, term, {"category": "association", "organisation": "Foyer rural des Crêtes",
                                    "role": "présidente"})
    db.session.commit()
    return user, term
