"""What the accounts domain asks of people on their home page."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from webapp.accounts.models import Elu, User
from webapp.accounts.roles import roles_of
from webapp.core.home import TodoItem, TodoSection
from webapp.extensions import db


def unplaced_people(limit: int = 10) -> list[User]:
    """Active accounts attached to no service and holding no seat: nobody can route work to them."""
    seated = db.select(Elu.user_id)
    return db.session.scalars(
        db.select(User).where(User.active.is_(True), User.unit_id.is_(None), User.is_admin.is_(False),
                              User.id.not_in(seated)).order_by(User.name).limit(limit)).all()


def todo(user) -> list[TodoSection]:
    if "admin" not in roles_of(user):
        return []
    items = [TodoItem(label=p.name, url=url_for("accounts.admin_person", person_id=p.id),
                      detail=_("sans service ni mandat")) for p in unplaced_people()]
    return [TodoSection(title=_("Comptes à rattacher"), items=items, order=80,
                        empty=_("Chaque compte est rattaché à un service ou à un mandat."),
                        more_url=url_for("accounts.admin_people"))]
