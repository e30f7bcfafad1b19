"""Preparing an excursion: the protocol (no cabinet, observer role acknowledged, consent text), the
invitation (notification without content, .ics), and who sees what, as a matrix over every endpoint."""

from __future__ import annotations

import uuid
from datetime import timedelta

import icalendar
import pytest

from tests.excursions.conftest import Team, item_body
from webapp.core.clock import utcnow
from webapp.excursions import service
from webapp.excursions.models import Excursion
from webapp.extensions import db
from webapp.push.models import Notification


def _prepare(client, elu_ids, **extra):
    body = {"title": "Accueil du public", "elu_ids": [str(i) for i in elu_ids],
            "starts_at": (utcnow() + timedelta(days=3)).isoformat(), "duration_minutes": 90,
            "questions": ["Combien de temps avez-vous attendu ?"], **extra}
    return client.post("/api/v1/excursions", json=body)


def test_the_cabinet_cannot_be_added(client, make):
    agent, elu, cabinet = make.agent(), make.elu(), make.cabinet()
    client.login(agent)
    response = _prepare(client, [elu.id, cabinet.id])
    assert response.status_code == 422
    assert "Le cabinet ne peut pas être associé" in response.get_json()["error"]["message"]
    page = client.post("/excursions/new", data={"title": "Visite", "elu_ids": [str(cabinet.id)], "day": "2030-01-10"})
    assert page.status_code == 422 and "Le cabinet ne peut pas être associé" in page.get_data(as_text=True)


def test_the_cabinet_cannot_organise(client, make):
    client.login(make.cabinet())
    assert _prepare(client, [make.elu().id]).status_code == 403


def test_the_elu_is_invited_without_content_in_the_notification(client, make):
    agent, elu = make.agent(), make.elu()
    client.login(agent)
    created = _prepare(client, [elu.id], dossier="Dossier confidentiel des familles")
    assert created.status_code == 201
    notes = db.session.scalars(db.select(Notification).where(Notification.user_id == elu.id)).all()
    assert len(notes) == 1 and notes[0].url == f"/excursions/{created.get_json()['id']}"
    assert "confidentiel" not in notes[0].title + notes[0].body


def test_invitation_ics_and_observer_acknowledgement(client, team):
    client.login(team.elu)
    ics = client.get(f"/excursions/{team.excursion.id}/invitation.ics")
    assert ics.mimetype == "text/calendar" and "BEGIN:VEVENT" in ics.get_data(as_text=True)
    page = client.get(f"/excursions/{team.excursion.id}").get_data(as_text=True)
    assert "Je viens en observateur·rice" in page
    client.post(f"/excursions/{team.excursion.id}/acknowledge")
    assert "Confirmé le" in client.get(f"/excursions/{team.excursion.id}").get_data(as_text=True)


def test_a_carriage_return_in_the_title_adds_no_line_to_the_ics(client, make):
    agent, elu = make.agent(), make.elu()
    client.login(agent)
    created = _prepare(client, [elu.id], title="Visite\rATTENDEE:mailto:intrus@evil.example\r\nX-Y:z")
    assert created.status_code == 201
    raw = client.get(f"/excursions/{created.get_json()['id']}/invitation.ics").get_data()
    lines = raw.decode().split("\r\n")
    assert not any(line.startswith(("ATTENDEE", "X-Y")) for line in lines)
    assert b"\r" not in raw.replace(b"\r\n", b"")  # no bare CR a lenient reader would take as a line end
    (event,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert "ATTENDEE" not in event
    assert str(event["SUMMARY"]).startswith("Excursion pratique : Visite")
    assert "intrus@evil.example" in str(event["SUMMARY"])  # kept as text of the title


def test_a_short_duration_is_enforced(client, make):
    client.login(make.agent())
    response = _prepare(client, [make.elu().id], duration_minutes=3 * 24 * 60)
    assert response.status_code == 422


@pytest.fixture
def cast(make):
    """Everyone around one excursion, and outsiders."""
    team = Team(make)
    return team, {
        "organiser": team.agent, "elu": team.elu, "manager": team.manager,
        "cabinet": make.cabinet(), "other_agent": make.agent(), "other_elu": make.elu(),
        "assemblies": make.assemblies(),
    }


SEES = {"organiser", "elu", "manager"}
CAPTURES = {"organiser", "elu"}


def _endpoints(team):
    e = team.excursion.id
    return [
        ("GET", f"/api/v1/excursions/{e}", SEES),
        ("GET", f"/api/v1/excursions/{e}/items", SEES),
        ("GET", f"/api/v1/excursions/{e}/bilan", SEES),
        ("POST", f"/api/v1/excursions/{e}/items", CAPTURES),
        ("POST", f"/api/v1/excursions/{e}/items/batch", CAPTURES),
        ("PUT", f"/api/v1/excursions/{e}/bilan", CAPTURES),
        ("PATCH", f"/api/v1/excursions/{e}", {"organiser"}),
        ("POST", f"/api/v1/excursions/{e}/acknowledge", {"elu"}),
        ("POST", f"/api/v1/excursions/{e}/done", {"organiser"}),
        ("GET", "/api/v1/excursions/compliance", {"assemblies"}),
        ("GET", f"/excursions/{e}", SEES),
        ("GET", f"/excursions/{e}/capture", CAPTURES),
        ("GET", f"/excursions/{e}/bilan", SEES),
        ("POST", f"/excursions/{e}/bilan", CAPTURES),
        ("GET", f"/excursions/{e}/bilan.pdf", SEES),
        ("POST", f"/excursions/{e}/bilan/attach", {"organiser"}),
        ("POST", f"/excursions/{e}/bilan/attach-dossier", CAPTURES),
        ("GET", f"/excursions/{e}/invitation.ics", SEES),
        ("GET", f"/excursions/{e}/edit", {"organiser"}),
        ("POST", f"/excursions/{e}/acknowledge", {"elu"}),
        ("POST", f"/excursions/{e}/done", {"organiser"}),
        ("GET", "/excursions/compliance", {"assemblies"}),
        ("POST", f"/api/v1/excursions/{e}/cancel", {"organiser"}),  # last: it ends the excursion
    ]


def _body(method: str, url: str):
    if method == "GET":
        return None
    if url.endswith("/items"):
        return item_body()
    if url.endswith("/batch"):
        return {"items": [item_body()]}
    if url.endswith("/bilan"):
        return {"text": "Bilan"}
    return {"title": "Autre titre"}


@pytest.mark.parametrize("who", ["organiser", "elu", "manager", "cabinet", "other_agent", "other_elu", "assemblies"])
def test_who_sees_what(client, cast, who):
    """Allowed: anything but 403 (a rule may still refuse, e.g. 409 before the visit); refused: 403."""
    team, people = cast
    client.login(people[who])
    for method, url, allowed in _endpoints(team):
        if url.startswith("/api/"):
            response = client.open(url, method=method, json=_body(method, url), headers={"If-Match": '"bilan-0"'})
        else:
            response = client.open(url, method=method, data={"text": "Bilan", "etag": '"bilan-0"'}
                                   if method == "POST" else None)
        assert (response.status_code == 403) == (who not in allowed), (who, method, url, response.status_code)
        assert response.status_code < 500
    listed = client.get("/api/v1/excursions").get_json()["items"]
    assert (len(listed) == 1) == (who in SEES)


def test_cabinet_never_sees_even_as_a_manager(client, make):
    cabinet = make.cabinet()
    agent = make.agent(manager=cabinet)
    excursion = service.create_excursion(agent, title="Visite", elu_ids=[make.elu().id],
                                         starts_at=utcnow() + timedelta(days=1))
    db.session.commit()
    client.login(cabinet)
    assert client.get(f"/api/v1/excursions/{excursion.id}").status_code == 403
    assert client.get("/api/v1/excursions").get_json()["items"] == []


def test_media_follows_the_excursion_policy(client, cast):
    team, people = cast
    from tests.excursions.conftest import media_body

    client.login(team.agent)
    media = media_body(b"x" * 10)
    client.post(f"/api/v1/excursions/{team.excursion.id}/items", json=item_body("photo", media=media))
    client.put(f"/api/v1/excursions/media/{media['id']}?offset=0", data=b"x" * 10)
    for who, status, bundled in (("manager", 200, 403), ("cabinet", 403, 404), ("other_elu", 403, 404)):
        client.post("/logout")
        client.login(people[who])
        with client.get(f"/api/v1/excursions/media/{media['id']}/content") as response:
            assert response.status_code == status, who
        put = client.put(f"/api/v1/excursions/media/{media['id']}?offset=0", data=b"y")
        assert put.status_code == 403, who
        bundle = client.post("/api/v1/excursions/media/bundle", data=b"y" * 10,
                             content_type="application/octet-stream", headers={"Bundle-Parts": f"{media['id']}=10"})
        assert bundle.get_json()["results"][0]["status"] == bundled, who
    client.post("/logout")
    client.login(team.agent)
    with client.get(f"/api/v1/excursions/media/{media['id']}/content") as response:
        assert response.data == b"x" * 10


def test_a_cancelled_excursion_takes_no_more_captures_and_the_elu_is_told(client, team):
    client.login(team.agent)
    assert client.post(f"/excursions/{team.excursion.id}/cancel").status_code == 302
    assert "Annulée" in client.get(f"/excursions/{team.excursion.id}").get_data(as_text=True)
    told = db.session.scalars(db.select(Notification).where(Notification.user_id == team.elu.id,
                                                            Notification.kind == "excursion.cancelled")).all()
    assert len(told) == 1
    client.post("/logout")
    client.login(team.elu)
    refused = client.post(f"/api/v1/excursions/{team.excursion.id}/items", json=item_body())
    assert refused.status_code == 403


def test_the_list_puts_the_next_visit_first_and_the_past_ones_below(client, make):
    agent, elu = make.agent(), make.elu()
    for title, days in (("Dans un mois", 30), ("Demain", 1), ("Le mois dernier", -30)):
        service.create_excursion(agent, title=title, elu_ids=[elu.id], starts_at=utcnow() + timedelta(days=days))
    db.session.commit()
    client.login(elu)
    page = client.get("/excursions").get_data(as_text=True)
    order = [page.index(text) for text in ("À venir", "Demain", "Dans un mois", "Passées", "Le mois dernier")]
    assert order == sorted(order)


def _many_places(count: int) -> dict:
    rows = {}
    for i in range(count):
        rows[f"place-{i}-name"] = f"Lieu {i + 1}"
        rows[f"place-{i}-latitude"] = "48,85"
    return rows


def test_the_preparation_form_keeps_every_place_typed_beyond_the_twentieth(client, make):
    agent, elu = make.agent(), make.elu()
    client.login(agent)
    page = client.post("/excursions/new", data={"title": "Tournée des antennes", "elu_ids": [str(elu.id)],
                                                "day": "2030-01-10", "time": "10:30", **_many_places(25)})
    assert page.status_code == 302
    excursion = service.get_excursion(uuid.UUID(page.headers["Location"].rsplit("/", 1)[-1]))
    assert [p.name for p in excursion.places][-1] == "Lieu 25" and len(excursion.places) == 25
    assert excursion.places[0].latitude == 48.85
    # The edit page shows every place to change, not the first four.
    assert "Lieu 25" in client.get(f"/excursions/{excursion.id}/edit").get_data(as_text=True)


def test_too_many_places_are_refused_with_a_clear_message_not_cut(client, make):
    agent, elu = make.agent(), make.elu()
    client.login(agent)
    page = client.post("/excursions/new", data={"title": "Tournée", "elu_ids": [str(elu.id)],
                                                "day": "2030-01-10", **_many_places(31)})
    assert page.status_code == 422 and "30 lieux au plus." in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Excursion.id))) == 0


def test_a_coordinate_that_is_not_a_number_is_refused_beside_the_places(client, make):
    agent, elu = make.agent(), make.elu()
    client.login(agent)
    page = client.post("/excursions/new", data={"title": "Tournée", "elu_ids": [str(elu.id)], "day": "2030-01-10",
                                                "place-0-name": "Mairie", "place-0-latitude": "nord"})
    assert page.status_code == 422 and "Coordonnée invalide." in page.get_data(as_text=True)
