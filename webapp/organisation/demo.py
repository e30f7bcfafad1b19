"""The organisation's part of the demo authority: a small draft organisation of the new mandate
(a commission permanente, one thematic commission, one external body), published at once.

Idempotent: nothing is added when the mandate already has bodies.
"""

from __future__ import annotations

from datetime import time

from webapp.accounts.models import OrgUnit, User
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.organisation import service

BODIES = [
    ({"kind": "permanent_commission", "name": "Commission permanente"},
     [{"role": "member", "seats": 20, "function_type": "decision", "hours_per_month": 6, "weekday": 0,
       "nth_week": 1, "starts_at": time(14), "ends_at": time(18)}]),
    ({"kind": "thematic_commission", "name": "Commission Solidarités", "theme": "autonomie, insertion"},
     [{"role": "commission_president", "seats": 1, "function_type": "decision", "hours_per_month": 10},
      {"role": "member", "seats": 10, "function_type": "concertation", "hours_per_month": 4, "weekday": 1,
       "nth_week": 2, "starts_at": time(14), "ends_at": time(17)}]),
    ({"kind": "external_body", "name": "Foyer rural des Crêtes", "conflict_categories": "association,board"},
     [{"role": "titulaire", "seats": 1, "function_type": "representation", "hours_per_month": 2, "weekday": 3,
       "nth_week": 3, "starts_at": time(18), "ends_at": time(20)}]),
]


def build() -> None:
    mandate = service.organisation_mandate()
    clerk = db.session.scalar(db.select(User).join(OrgUnit).where(OrgUnit.kind == "assemblies").limit(1))
    if mandate is None or clerk is None or service.bodies(mandate):
        return
    for body_data, posts in BODIES:
        body = service.add_body(clerk, mandate, body_data)
        for post in posts:
            service.add_post(clerk, body, post)
    service.schedule_publication(clerk, mandate, utcnow())
    db.session.flush()
