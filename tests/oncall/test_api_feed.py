"""The JSON API of the rotas and the secret ``.ics`` feed of one's shifts (swapped ones included)."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar

from tests.oncall.helpers import crew, rota_of
from webapp.core.clock import to_paris, utcnow
from webapp.extensions import db
from webapp.oncall.models import Rota


def this_monday() -> date:
    today = to_paris(utcnow()).date()
    return today - timedelta(days=today.weekday())


def events(body: bytes) -> list:
    return [(str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend"))
            for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def test_the_head_of_service_creates_a_rota_and_members_read_it(client, make):
    c = crew(make)
    payload = {"unit_id": str(c.unit.id), "name": "Astreinte viabilité", "rotation": "weekly",
               "starts_on": this_monday().isoformat(), "handover_time": "09:00", "escalation_delay_minutes": 10,
               "escalation_steps": 2, "member_ids": [str(u.id) for u in c.elus]}
    client.login(c.agent)
    assert client.post("/api/v1/oncall/rotas", json=payload).status_code == 403
    client.login(c.head)
    created = client.post("/api/v1/oncall/rotas", json=payload)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["on_call"]["name"] == "Anne Premier" and body["handover_time"] == "09:00"
    assert [s["user"]["name"] for s in body["shifts"]] == ["Anne Premier", "Bruno Second", "Chloé Troisième",
                                                           "Anne Premier"]
    bad = client.post("/api/v1/oncall/rotas", json={**payload, "handover_time": "25:00", "member_ids": []})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) >= {"handover_time", "member_ids"}
    stale = client.patch(f"/api/v1/oncall/rotas/{body['id']}", json={"version": body["version"] + 5,
                                                                     "escalation_steps": 1})
    assert stale.status_code == 409
    client.login(c.elus[2])
    assert client.get(f"/api/v1/oncall/rotas/{body['id']}").get_json()["name"] == "Astreinte viabilité"
    client.login(c.outsider)
    assert client.get(f"/api/v1/oncall/rotas/{body['id']}").status_code == 403


def test_a_swap_through_the_api_then_the_feed_lists_the_swapped_shifts(client, make, app):
    c = crew(make)
    anne, bruno, _chloe = c.elus
    rota = rota_of(c.unit, c.elus, starts_on=this_monday())
    rota_id = rota.id
    client.login(anne)
    shifts = client.get(f"/api/v1/oncall/rotas/{rota_id}").get_json()["shifts"]
    asked = client.post(f"/api/v1/oncall/rotas/{rota_id}/swaps",
                        json={"shift": shifts[0]["starts_at"], "target_id": str(bruno.id)})
    assert asked.status_code == 201, asked.get_json()
    swap_id = asked.get_json()["id"]
    assert client.post(f"/api/v1/oncall/swaps/{swap_id}/accept").status_code == 403
    client.login(bruno)
    assert client.post(f"/api/v1/oncall/swaps/{swap_id}/accept").get_json()["status"] == "accepted"
    again = client.post(f"/api/v1/oncall/swaps/{swap_id}/accept")
    assert again.status_code == 409 and again.get_json()["error"]["current"]["status"] == "accepted"
    url = client.post("/api/v1/oncall/feed").get_json()["url"]
    path = url[url.index("/oncall/"):]
    client.post("/logout")
    feed = client.get(path)  # a calendar app: no session, the secret link only
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    mine = events(feed.data)
    week = [(_parse(s["starts_at"]), _parse(s["ends_at"])) for s in shifts]
    # Bruno's feed: Anne's week taken over (marked as a swap), not his own former week any more.
    assert ("Astreinte : Astreinte des élus (échange)", *week[0]) in mine
    assert all(start != week[1][0] for _s, start, _e in mine)
    assert db.session.get(Rota, rota_id).name == "Astreinte des élus"
    # Anne's feed has Bruno's former week, marked as a swap.
    client.login(anne)
    anne_url = client.post("/api/v1/oncall/feed").get_json()["url"]
    anne_events = events(client.get(anne_url[anne_url.index("/oncall/"):]).data)
    assert ("Astreinte : Astreinte des élus (échange)", *week[1]) in anne_events
    assert ("Astreinte : Astreinte des élus", *week[3]) in anne_events
    assert all(start != week[0][0] for _s, start, _e in anne_events)
    # Revoked, the link stops working.
    assert client.delete("/api/v1/oncall/feed").status_code == 204
    assert client.get(anne_url[anne_url.index("/oncall/"):]).status_code == 404
    assert client.get(path).status_code == 200  # Bruno's own link still works


def _parse(value: str):
    from datetime import datetime

    return datetime.fromisoformat(value)


def test_absences_through_the_api(client, make):
    c = crew(make)
    client.login(c.elus[0])
    start = to_paris(utcnow()).date() + timedelta(days=3)
    made = client.post("/api/v1/oncall/absences", json={"starts_on": start.isoformat(),
                                                         "ends_on": (start + timedelta(days=2)).isoformat()})
    assert made.status_code == 201
    assert [a["id"] for a in client.get("/api/v1/oncall/absences").get_json()] == [made.get_json()["id"]]
    backwards = client.post("/api/v1/oncall/absences", json={"starts_on": start.isoformat(),
                                                              "ends_on": (start - timedelta(days=1)).isoformat()})
    assert backwards.status_code == 422
    client.login(c.elus[1])
    assert client.delete(f"/api/v1/oncall/absences/{made.get_json()['id']}").status_code == 403
