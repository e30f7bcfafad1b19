"""The designation's part of the demo authority: the élu whose forum profile is started (a Monday
constraint, the Foyer rural's presidency) wishes two posts of the demo organisation, so that the wishes
page shows an agenda alert and a conflict alert.

Another élu of the mandate holds the coordination, so that the arbitration board can be opened (no
proposal is made: the coordination presses "Proposer une répartition").

Idempotent: nothing is added when that élu already has wishes.
"""

from __future__ import annotations

from webapp.accounts.models import OrgUnit, User
from webapp.designation import service
from webapp.extensions import db
from webapp.forum import service as forum
from webapp.organisation import service as organisation

WISHES = {
    "Commission permanente": "Suivre l’ensemble des décisions du département.",
    "Foyer rural des Crêtes": "Je connais l’association et ses bénévoles.",
}


def build() -> None:
    mandate = organisation.organisation_mandate()
    if mandate is None or not organisation.is_published(mandate):
        return
    profiled = [t for t in forum.mandate_elus(mandate) if forum.profile_of(t) is not None]
    if not profiled or service.wishes(profiled[0]):
        return
    term = profiled[0]
    coordinator = next((t for t in forum.mandate_elus(mandate) if t.id != term.id), None)
    clerk = db.session.scalar(db.select(User).join(OrgUnit).where(OrgUnit.kind == "assemblies").limit(1))
    if coordinator is not None and clerk is not None:
        organisation.grant_coordination(clerk, mandate, coordinator.user)
    for body in organisation.bodies(mandate):
        if body.name in WISHES and body.posts:
            service.add_wish(term.user, term, body.posts[0], WISHES[body.name])
    db.session.flush()
