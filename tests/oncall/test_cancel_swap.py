"""The asker withdraws a swap nobody has answered yet: in the page and through the API; nobody else may,
and a swap already accepted stays accepted (409)."""

from __future__ import annotations

import uuid

from tests.oncall.helpers import crew, rota_of
from tests.oncall.test_api_feed import this_monday
from webapp.extensions import db
from webapp.oncall.models import Override, Swap


def _ask(client, rota_id, asker, target) -> str:
    client.login(asker)
    shifts = client.get(f"/api/v1/oncall/rotas/{rota_id}").get_json()["shifts"]
    asked = client.post(f"/api/v1/oncall/rotas/{rota_id}/swaps",
                        json={"shift": shifts[0]["starts_at"], "target_id": str(target.id)})
    assert asked.status_code == 201, asked.get_json()
    return uuid.UUID(asked.get_json()["id"])


def test_the_asker_cancels_a_pending_swap_in_the_page(client, make):
    c = crew(make)
    anne, bruno, chloe = c.elus
    rota = rota_of(c.unit, c.elus, starts_on=this_monday())
    rota_id = rota.id
    swap_id = _ask(client, rota_id, anne, bruno)
    page = client.get(f"/oncall/rotas/{rota_id}").get_data(as_text=True)
    assert "En attente de Bruno Second" in page and f"/oncall/swaps/{swap_id}/cancel" in page
    client.login(chloe)
    assert client.post(f"/oncall/swaps/{swap_id}/cancel").status_code == 403
    client.login(bruno)
    assert client.post(f"/oncall/swaps/{swap_id}/cancel").status_code == 403
    assert "Anne Premier vous demande de prendre son tour" in client.get(f"/oncall/rotas/{rota_id}").get_data(
        as_text=True)
    client.login(anne)
    done = client.post(f"/oncall/swaps/{swap_id}/cancel")
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Demande d’échange annulée." in page and "En attente de Bruno Second" not in page
    assert db.session.get(Swap, swap_id).status == "cancelled"
    client.login(bruno)
    page = client.get(f"/oncall/rotas/{rota_id}").get_data(as_text=True)
    assert "Anne Premier vous demande de prendre son tour" not in page
    late = client.post(f"/oncall/swaps/{swap_id}/accept")
    assert late.status_code == 409 and "Cet échange a été annulé." in late.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Override)) == 0


def test_cancelling_through_the_api_only_the_asker_and_only_while_pending(client, make):
    c = crew(make)
    anne, bruno, chloe = c.elus
    rota = rota_of(c.unit, c.elus, starts_on=this_monday())
    rota_id = rota.id
    swap_id = _ask(client, rota_id, anne, bruno)
    client.login(chloe)
    refused = client.post(f"/api/v1/oncall/swaps/{swap_id}/cancel")
    assert refused.status_code == 403 and "error" in refused.get_json()
    client.login(anne)
    cancelled = client.post(f"/api/v1/oncall/swaps/{swap_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert client.get(f"/api/v1/oncall/rotas/{rota_id}/swaps").get_json() == []

    accepted_id = _ask(client, rota_id, anne, bruno)
    client.login(bruno)
    assert client.post(f"/api/v1/oncall/swaps/{accepted_id}/accept").get_json()["status"] == "accepted"
    client.login(anne)
    late = client.post(f"/api/v1/oncall/swaps/{accepted_id}/cancel")
    assert late.status_code == 409 and late.get_json()["error"]["current"]["status"] == "accepted"
    assert client.post(f"/oncall/swaps/{accepted_id}/cancel").status_code == 409
    db.session.expire_all()
    assert db.session.get(Swap, accepted_id).status == "accepted"
    assert db.session.scalar(db.select(db.func.count()).select_from(Override)) == 2
