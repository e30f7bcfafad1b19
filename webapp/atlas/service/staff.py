"""The staff representatives, who write the posters' staff text."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user

from webapp.accounts.models import User
from webapp.accounts.roles import forget_per_request, per_request
from webapp.atlas.models import (
    StaffRepresentative,
)
from webapp.atlas.service.common import _clean
from webapp.core import audit, facts
from webapp.extensions import db


def staff_representatives() -> list[StaffRepresentative]:
    return list(db.session.scalars(db.select(StaffRepresentative).join(StaffRepresentative.user).order_by(User.name)))


def is_staff_representative(user) -> bool:
    """Asked by the navigation and for each poster of a page: once per request."""
    if not getattr(user, "is_authenticated", False):
        return False
    if has_request_context() and getattr(current_user, "id", None) == user.id:
        return bool(facts.of(user, "atlas.staff"))  # with the page's other facts: no statement of its own
    return per_request(f"atlas.staff:{user.id}", lambda: db.session.get(StaffRepresentative, user.id) is not None)


def register_facts() -> None:
    facts.register("atlas.staff", lambda user, now, day: db.select(StaffRepresentative.user_id).where(
        StaffRepresentative.user_id == user).exists())


def add_staff_representative(actor, user: User, organisation: str = "") -> StaffRepresentative:
    rep = db.session.get(StaffRepresentative, user.id)
    if rep is None:
        rep = StaffRepresentative(user_id=user.id, added_by_id=getattr(actor, "id", None))
        db.session.add(rep)
    rep.organisation = _clean(organisation, 120)
    db.session.flush()
    forget_per_request(f"atlas.staff:{user.id}")
    facts.forget(user)
    audit.record(actor, "atlas.staff_representative_added", user, None, {"organisation": rep.organisation})
    return rep


def remove_staff_representative(actor, user: User) -> None:
    rep = db.session.get(StaffRepresentative, user.id)
    if rep is not None:
        db.session.delete(rep)
        db.session.flush()
        forget_per_request(f"atlas.staff:{user.id}")
        facts.forget(user)
        audit.record(actor, "atlas.staff_representative_removed", user, {"organisation": rep.organisation}, None)
