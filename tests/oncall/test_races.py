"""A swap accepted from several phones at once, over HTTP against the live server: one answer says
accepted, the others 409 with the swap's state, and the rota gets one pair of overrides."""

from __future__ import annotations

from tests.core.test_races import ROUNDS, Person, _count, _events, together
from tests.core.test_races import server as server  # the fixture, used by name
from tests.oncall.helpers import crew, rota_of
from tests.oncall.test_api_feed import this_monday
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.oncall import service
from webapp.oncall.models import Override
from webapp.oncall.rotation import upcoming


def test_ten_accepts_at_once_make_one_pair_of_overrides(app, make, server):
    c = crew(make)
    anne, bruno, _chloe = c.elus
    rota = rota_of(c.unit, c.elus, starts_on=this_monday())
    phones = [Person(server, bruno) for _ in range(2)]
    for _round in range(ROUNDS):
        mine = next(s for s in upcoming(rota, utcnow()) if s.user.id == anne.id and s.ends_at > utcnow())
        swap = service.ask_swap(anne, rota, mine.starts_at, bruno.id)
        db.session.commit()
        path = f"/api/v1/oncall/swaps/{swap.id}/accept"
        replies = together([lambda p=phones[i % 2], path=path: p.send("POST", path) for i in range(10)])
        assert sorted(r.status for r in replies) == [200] + [409] * 9
        assert {r.json()["error"]["current"]["status"] for r in replies if r.status == 409} == {"accepted"}
        assert _count(db.select(Override.id).where(Override.swap_id == swap.id)) == 2
        assert _events("oncall.swap_accepted", swap.id) == 1
        # Undo the swap for the next round: Anne's turn is hers again.
        db.session.execute(db.delete(Override).where(Override.swap_id == swap.id))
        db.session.commit()
