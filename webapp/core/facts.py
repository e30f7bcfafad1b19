"""What every page asks about the signed-in person (their roles, the unread badge, whether the
organisation's link shows), read in one statement per request.

Each domain registers its facts as scalar SQL expressions of the person (``user``, a bound parameter), the
time (``now``) and the day in Paris (``day``); the statement selecting all of them is built once per
process and run once per person and request. On PostgreSQL every statement is a round trip: the roles and
the navigation's questions were three of the six statements of the inbox page. Outside a request (the
worker, tests calling services) a fact is read afresh. ``core`` stays free of the domains: they bring
their expressions. Read for another person than the one signed in, the statement costs more than the
question asked (roles: ``accounts.roles``).

A fact only some pages need (the inbox's filter choices) is registered ``on_demand``: a page ``ask``s for it
before its first fact is read, and it comes with the others in the same statement; the other pages do not
compute it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import cache

from flask import g, has_request_context
from sqlalchemy import Date, Uuid

from webapp.core.clock import to_paris, utcnow
from webapp.core.types import UTCDateTime
from webapp.extensions import db

Fact = Callable[[object, object, object], object]  # (user, now, day) bound parameters → a scalar SQL expression
_facts: dict[str, Fact] = {}
_on_demand: set[str] = set()


def register(name: str, build: Fact, *, on_demand: bool = False) -> None:
    if name not in _facts:
        _facts[name] = build
        if on_demand:
            _on_demand.add(name)
        _statement.cache_clear()


def ask(*names: str) -> None:
    """The page will read these ``on_demand`` facts: read them with the others (call before the first read;
    asked later, they cost a statement of their own)."""
    if has_request_context():
        g.setdefault("_facts_asked", set()).update(names)


def of(user, name: str):
    """The fact ``name`` of ``user`` (as registered), read with every other fact once per request."""
    wanted = {name} & _on_demand
    if not has_request_context():
        return _read(user.id, frozenset(wanted))[name]
    read = g.setdefault("_facts", {})
    if name not in read.get(user.id, ()):
        read[user.id] = {**read.get(user.id, {}), **_read(user.id, frozenset(wanted | g.get("_facts_asked", set())))}
    return read[user.id][name]


def forget(user) -> None:
    """After a change that answers a fact differently, later in the same request."""
    if has_request_context():
        g.get("_facts", {}).pop(user.id, None)


def _read(user_id: uuid.UUID, extra: frozenset) -> dict:
    names, statement = _statement(extra)
    now = utcnow()
    row = db.session.execute(statement, {"user": user_id, "now": now, "day": to_paris(now).date()}).one()
    return dict(zip(names, row, strict=True))


@cache
def _statement(extra: frozenset):
    """Every page's facts and the ``extra`` on-demand ones, built once per process and set of extras."""
    user, now = db.bindparam("user", type_=Uuid()), db.bindparam("now", type_=UTCDateTime())
    day = db.bindparam("day", type_=Date())
    names = sorted(name for name in _facts if name not in _on_demand or name in extra)
    return names, db.select(*(_facts[name](user, now, day).label(name) for name in names))
