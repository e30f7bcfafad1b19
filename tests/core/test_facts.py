"""The facts of the signed-in person: one statement per request, an on-demand fact only when a page asks."""

from __future__ import annotations

from sqlalchemy import event

from webapp.core import facts
from webapp.extensions import db


def _statements(app, read):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        value = read()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return value, seen


def test_an_asked_fact_comes_with_the_others_and_a_late_one_costs_a_statement_of_its_own(app, make):
    service_unit = make.unit("Voirie")
    person = make.agent("Agent", unit=service_unit)
    db.session.commit()
    db.session.refresh(person)  # loaded before counting
    with app.app_context(), app.test_request_context("/"):  # a request of its own (g)
        facts.ask("notes.filter_units")
        (manages, units), seen = _statements(app, lambda: (facts.of(person, "roles.manages"),
                                                           facts.of(person, "notes.filter_units")))
        assert len(seen) == 1 and '"notes.filter_units"' in seen[0]
        assert manages is False and "Voirie" in units
    with app.app_context(), app.test_request_context("/"):  # a request of its own (g)
        _, seen = _statements(app, lambda: facts.of(person, "roles.manages"))
        assert len(seen) == 1 and '"notes.filter_units"' not in seen[0]  # not computed
        commissions, late = _statements(app, lambda: facts.of(person, "notes.filter_commissions"))
        assert len(late) == 1 and commissions is None  # no commission yet: read afresh, still right
        assert facts.of(person, "roles.manages") is False  # what was read before is kept
