"""Swaps: asked by one member, accepted once by the other (two accepts racing make one pair of
overrides), declined; the policy of who may set a rota and answer a swap."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from tests.oncall.helpers import crew, paris, rota_of
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.oncall import policy, service
from webapp.oncall.models import Override, Swap
from webapp.oncall.rotation import who_is_on_call

NOW = paris(2026, 11, 4, 12)  # Anne's week (2-9 Nov); Bruno 9-16, Chloé 16-23


def test_an_accepted_swap_exchanges_the_two_shifts(make):
    c = crew(make)
    anne, bruno, _chloe = c.elus
    rota = rota_of(c.unit, c.elus)
    swap = service.ask_swap(anne, rota, paris(2026, 11, 2, 9), bruno.id, now=NOW)
    assert (swap.return_starts_at, swap.return_ends_at) == (paris(2026, 11, 9, 9), paris(2026, 11, 16, 9))
    assert who_is_on_call(rota, NOW).name == "Anne Premier"
    service.accept_swap(bruno, swap, now=NOW)
    db.session.commit()
    assert who_is_on_call(rota, NOW).name == "Bruno Second"
    assert who_is_on_call(rota, paris(2026, 11, 10, 12)).name == "Anne Premier"
    with pytest.raises(DomainError, match="déjà été accepté"):
        service.accept_swap(bruno, swap, now=NOW)
    assert db.session.scalar(db.select(db.func.count()).select_from(Override)) == 2


def test_a_declined_swap_changes_nothing_and_only_the_target_answers(make):
    c = crew(make)
    anne, bruno, chloe = c.elus
    rota = rota_of(c.unit, c.elus)
    swap = service.ask_swap(anne, rota, paris(2026, 11, 2, 9), bruno.id, now=NOW)
    with pytest.raises(DomainError) as refused:
        service.accept_swap(chloe, swap, now=NOW)
    assert refused.value.status == 403
    service.decline_swap(bruno, swap, now=NOW)
    assert who_is_on_call(rota, NOW).name == "Anne Premier"
    with pytest.raises(DomainError, match="déjà été refusé"):
        service.accept_swap(bruno, swap, now=NOW)


def test_one_asks_only_a_shift_of_their_own(make):
    c = crew(make)
    anne, bruno, _chloe = c.elus
    rota = rota_of(c.unit, c.elus)
    with pytest.raises(DomainError) as refused:
        service.ask_swap(anne, rota, paris(2026, 11, 9, 9), bruno.id, now=NOW)
    assert refused.value.fields == {"shift": ["Choix invalide."]}
    with pytest.raises(DomainError):
        service.ask_swap(c.outsider, rota, paris(2026, 11, 2, 9), bruno.id, now=NOW)


def test_two_accepts_racing_make_one_pair_of_overrides(app, make):
    c = crew(make)
    anne, bruno, _chloe = c.elus
    rota = rota_of(c.unit, c.elus)
    swap = service.ask_swap(anne, rota, paris(2026, 11, 2, 9), bruno.id, now=NOW)
    db.session.commit()
    swap_id, bruno_id = swap.id, bruno.id
    barrier = threading.Barrier(2)
    outcomes = []

    def accept():
        with app.app_context():
            mine = db.session.get(Swap, swap_id)
            person = db.session.get(type(bruno), bruno_id)
            barrier.wait()
            try:
                service.accept_swap(person, mine, now=NOW)
                db.session.commit()
                outcomes.append("accepted")
            except DomainError as exc:
                db.session.rollback()
                outcomes.append(exc.status)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes, key=str) == [409, "accepted"]
    overrides = db.session.scalars(db.select(Override).where(Override.swap_id == swap_id)).all()
    assert sorted(o.leg for o in overrides) == [0, 1]


def test_heads_of_service_and_admins_set_rotas_members_answer_swaps(make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus)
    admin = make.user(admin=True)
    assert policy.can_edit_rota(c.head, rota) and policy.can_edit_rota(admin, rota)
    assert not policy.can_edit_rota(c.agent, rota) and not policy.can_edit_rota(c.elus[0], rota)
    assert not policy.can_edit_rota(c.outsider, rota)
    assert policy.can_ask_swap(c.elus[0], rota) and not policy.can_ask_swap(c.head, rota)
    with pytest.raises(DomainError):
        service.update_rota(c.agent, rota, escalation_steps=5)
    service.update_rota(c.head, rota, escalation_steps=5, member_ids=[c.elus[2].id, c.elus[0].id])
    assert rota.escalation_steps == 5 and [p.name for p in rota.people] == ["Chloé Troisième", "Anne Premier"]
    assert who_is_on_call(rota, NOW + timedelta(days=7)).name == "Anne Premier"
