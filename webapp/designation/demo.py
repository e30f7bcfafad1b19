"""The designation's part of the demo authority: the élu whose forum profile is started (a Monday
constraint, the Foyer rural's presidency) wishes two posts of the demo organisation, so that the wishes
page shows an agenda alert and a conflict alert.

Idempotent: nothing is added when that élu already has wishes.
"""

from __future__ import annotations

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
    for body in organisation.bodies(mandate):
        if body.name in WISHES and body.posts:
            service.add_wish(term.user, term, body.posts[0], WISHES[body.name])
    db.session.flush()
