"""The on-call part of the home page: the swaps a colleague asked of this person, to answer."""

from __future__ import annotations

from flask import url_for
from flask_babel import format_datetime
from flask_babel import gettext as _

from webapp.core import facts
from webapp.core.home import TodoItem, TodoSection
from webapp.extensions import db
from webapp.oncall import service
from webapp.oncall.models import Swap

SWAPS_ASKED = "oncall.swaps_asked"  # a colleague asked this person to swap a shift, not yet answered


def register_facts() -> None:
    facts.register(SWAPS_ASKED, lambda user, now, day: db.exists().where(Swap.target_id == user,
                                                                           Swap.status == "pending"), on_demand=True)


def todo_sections(user) -> list[TodoSection]:
    if not facts.of(user, SWAPS_ASKED):
        return []
    swaps = service.swaps_asked_of(user)
    if not swaps:
        return []
    items = [TodoItem(_("Échange demandé par %(name)s", name=s.requester.name),
                      url_for("oncall.rota", rota_id=s.rota_id, _anchor="swaps"),
                      _("Son tour du %(when)s", when=format_datetime(s.shift_starts_at, "EEE d MMM, HH:mm")), "soon")
             for s in swaps]
    return [TodoSection(_("Astreinte : échanges à accepter"), items, order=20)]
