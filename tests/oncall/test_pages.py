"""The pages, phone first: setting a rota, asking and answering a swap, absences, the calendar link."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.oncall.helpers import crew, rota_of
from tests.oncall.test_api_feed import this_monday
from webapp.core.clock import to_paris, utcnow
from webapp.extensions import db
from webapp.oncall.models import Rota, Swap
from webapp.oncall.rotation import who_is_on_call


def test_the_head_of_service_sets_a_rota_in_the_form(client, make):
    c = crew(make)
    client.login(c.head)
    form = client.get("/oncall/rotas/new")
    assert form.status_code == 200 and "Anne Premier" in form.get_data(as_text=True)
    data = {"unit_id": str(c.unit.id), "name": "Astreinte hivernale", "rotation": "daily",
            "starts_on": this_monday().isoformat(), "handover_time": "18:00", "escalation_delay_minutes": "10",
            "escalation_steps": "1", "member_ids": [str(c.elus[1].id), str(c.elus[0].id), "", ""]}
    refused = client.post("/oncall/rotas", data={**data, "member_ids": ["", ""]})
    assert refused.status_code == 422 and 'id="member_ids-error"' in refused.get_data(as_text=True)
    made = client.post("/oncall/rotas", data=data)
    assert made.status_code == 302
    rota = db.session.scalar(db.select(Rota).where(Rota.name == "Astreinte hivernale"))
    assert [p.name for p in rota.people] == ["Bruno Second", "Anne Premier"] and rota.handover_minute == 18 * 60
    assert not rota.urgent_notes
    edit = {**data, "version": str(rota.version), "urgent_notes": "1"}
    del edit["unit_id"]
    assert client.post(f"/oncall/rotas/{rota.id}/edit", data=edit).status_code == 302
    db.session.expire_all()
    assert db.session.get(Rota, rota.id).urgent_notes
    del edit["urgent_notes"]
    edit["version"] = str(db.session.get(Rota, rota.id).version)
    assert client.post(f"/oncall/rotas/{rota.id}/edit", data=edit).status_code == 302
    db.session.expire_all()
    assert not db.session.get(Rota, rota.id).urgent_notes
    client.login(c.agent)
    assert client.get("/oncall/rotas/new").status_code == 403
    assert client.get(f"/oncall/rotas/{rota.id}/edit").status_code == 403


def test_a_swap_is_asked_and_accepted_in_the_pages(client, make):
    c = crew(make)
    anne, bruno, _chloe = c.elus
    rota = rota_of(c.unit, c.elus, starts_on=this_monday())
    client.login(anne)
    page = client.get(f"/oncall/rotas/{rota.id}").get_data(as_text=True)
    assert "Je demande un échange" in page
    shift = re.search(r'<option value="([^"]+)">', page.split('id="swap-shift"')[1]).group(1)
    assert client.post(f"/oncall/rotas/{rota.id}/swaps", data={"shift": shift, "target_id": str(bruno.id)}
                       ).status_code == 302
    swap = db.session.scalar(db.select(Swap))
    client.login(bruno)
    assert "Échange demandé par Anne Premier" in client.get("/").get_data(as_text=True)
    page = client.get(f"/oncall/rotas/{rota.id}").get_data(as_text=True)
    assert "Anne Premier vous demande de prendre son tour" in page
    assert client.post(f"/oncall/swaps/{swap.id}/accept").status_code == 302
    again = client.post(f"/oncall/swaps/{swap.id}/accept")
    assert again.status_code == 409 and "déjà été accepté" in again.get_data(as_text=True)
    assert "<strong>Bruno Second</strong>" in client.get(f"/oncall/rotas/{rota.id}").get_data(as_text=True)
    assert "Échange demandé par" not in client.get("/").get_data(as_text=True)


def test_absences_and_the_calendar_link_on_my_page(client, make):
    c = crew(make)
    rota_of(c.unit, c.elus, starts_on=this_monday())
    client.login(c.elus[0])
    page = client.get("/oncall/").get_data(as_text=True)
    assert "Astreinte des élus" in page and "Créer mon lien d’agenda" in page
    start = to_paris(utcnow()).date() + timedelta(days=2)
    backwards = client.post("/oncall/absences", data={"starts_on": start.isoformat(),
                                                       "ends_on": (start - timedelta(days=1)).isoformat()})
    assert backwards.status_code == 422 and "précède" in backwards.get_data(as_text=True)
    assert client.post("/oncall/absences", data={"starts_on": start.isoformat(),
                                                 "ends_on": start.isoformat()}).status_code == 302
    client.post("/oncall/feed/renew")
    page = client.get("/oncall/").get_data(as_text=True)
    link = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', page).group(1)
    assert client.get(link[link.index("/oncall/"):]).mimetype == "text/calendar"
    client.post("/oncall/feed/revoke")
    assert client.get(link[link.index("/oncall/"):]).status_code == 404


def test_the_head_of_service_puts_someone_on_call_for_an_evening(client, make):
    c = crew(make)
    rota = rota_of(c.unit, c.elus, starts_on=this_monday())
    evening = to_paris(utcnow()).date() + timedelta(days=1)
    data = {"user_id": str(c.elus[2].id), "starts_at": f"{evening.isoformat()}T18:00",
            "ends_at": f"{evening.isoformat()}T23:00"}
    client.login(c.elus[0])
    assert client.post(f"/oncall/rotas/{rota.id}/overrides", data=data).status_code == 403
    client.login(c.head)
    backwards = client.post(f"/oncall/rotas/{rota.id}/overrides", data={**data, "ends_at": data["starts_at"]})
    assert backwards.status_code == 422
    assert client.post(f"/oncall/rotas/{rota.id}/overrides", data=data).status_code == 302
    db.session.expire_all()
    at = to_paris(utcnow()).replace(year=evening.year, month=evening.month, day=evening.day, hour=20, minute=0)
    assert who_is_on_call(db.session.get(Rota, rota.id), at).name == "Chloé Troisième"
