"""Neighbouring Tandem sites: listed by the assemblies service, their open data fetched by the worker over
real HTTP (here this very app, served on a free port), only http(s), within a size limit, checked against the
schema, kept with its source and shown apart; a failed fetch keeps the last good copy and says why."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from tests.testimonies.test_testimonies import _published
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.testimonies import neighbours
from webapp.testimonies.schemas import OpenData


def test_a_neighbour_is_fetched_kept_and_shown_apart_with_its_source(app, client, place, live_server):
    testimony = _published(client, place)
    client.login(place.clerk)
    page = client.post("/temoignages/gestion/voisins", data={"name": "Communauté du Val", "base_url": live_server.url})
    assert page.status_code == 302
    (neighbour,) = neighbours.neighbours()
    db.session.refresh(neighbour)
    assert neighbour.error == "" and neighbour.fetched_at is not None
    (kept,) = neighbour.testimonies
    assert kept["id"] == str(testimony.id) and kept["speaker_name"] == "Claire Martin"
    assert kept["license"].startswith("Licence Ouverte") and kept["url"].startswith(live_server.url)
    visitor = app.test_client()
    html = visitor.get("/temoignages/voisins").get_data(as_text=True)
    assert "Communauté du Val" in html and f"Source : {live_server.url}" in html and "Claire Martin" in html
    assert "Set-Cookie" not in visitor.get("/temoignages/voisins").headers


def test_a_failed_fetch_keeps_the_last_good_copy_and_says_why(app, client, place, live_server, monkeypatch):
    _published(client, place)
    neighbour = neighbours.add(place.clerk, "Voisin", live_server.url)
    neighbours.refresh(neighbour)
    assert len(neighbour.testimonies) == 1
    monkeypatch.setitem(app.config, "NEIGHBOUR_MAX_BYTES", 100)
    neighbours.refresh(neighbour)
    assert neighbour.error == "larger than 100 bytes" and len(neighbour.testimonies) == 1
    monkeypatch.setitem(app.config, "NEIGHBOUR_MAX_BYTES", 2 * 1024 * 1024)
    neighbour.base_url = live_server.url + "/atlas"
    neighbours.refresh(neighbour)
    assert neighbour.error == "HTTP 404" and len(neighbour.testimonies) == 1
    neighbour.base_url = "http://127.0.0.1:9"  # nothing listens there
    neighbours.refresh(neighbour)
    assert neighbour.error.startswith("unreachable")


def test_a_neighbour_on_a_private_or_local_address_is_not_fetched(app, client, place, live_server, monkeypatch):
    _published(client, place)
    monkeypatch.setitem(app.config, "NEIGHBOUR_PRIVATE_ADDRESSES", False)
    local = neighbours.add(place.clerk, "Ce serveur", live_server.url)
    for neighbour in (local, *(neighbours.add(place.clerk, base, base) for base in
                               ("http://10.0.0.7", "http://169.254.169.254", "http://[::1]:8080"))):
        neighbours.refresh(neighbour)
        assert neighbour.error == "refused: private or local address" and not neighbour.testimonies
    monkeypatch.setitem(app.config, "NEIGHBOUR_PRIVATE_ADDRESSES", True)  # an intranet of Tandem sites
    neighbours.refresh(local)
    assert local.error == "" and len(local.testimonies) == 1


def test_a_name_that_turns_local_after_the_check_is_not_followed_there(app, client, place, live_server, monkeypatch):
    """DNS rebinding: the neighbour's name first answers a public address (the check passes), then this
    very machine. The fetch goes to the address that was checked, never to the local server."""
    import socket

    _published(client, place)
    monkeypatch.setitem(app.config, "NEIGHBOUR_PRIVATE_ADDRESSES", False)
    real_resolve, real_connect = socket.getaddrinfo, socket.create_connection
    answers = iter(["93.184.216.34"])

    def resolve(host, *args, **kwargs):
        return real_resolve(next(answers, "127.0.0.1") if host == "voisin.example" else host, *args, **kwargs)

    tried = []

    def connect(address, *args, **kwargs):
        tried.append(address[0])
        if address[0] == "93.184.216.34":  # the public address, out of reach from the test machine
            raise ConnectionRefusedError("refused")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_connection", connect)
    neighbour = neighbours.add(place.clerk, "Voisin qui change d’adresse", f"http://voisin.example:{live_server.port}")
    neighbours.refresh(neighbour)
    assert tried == ["93.184.216.34"]
    assert neighbour.error.startswith("unreachable") and not neighbour.testimonies


def test_only_http_sites_are_listed_and_only_by_the_assemblies_service(client, place):
    with pytest.raises(DomainError):
        neighbours.add(place.clerk, "Fichier", "file:///etc/passwd")
    with pytest.raises(DomainError) as refused:
        neighbours.add(place.elu, "Voisin", "https://voisin.example")
    assert refused.value.status == 403
    client.login(place.clerk)
    page = client.post("/temoignages/gestion/voisins", data={"name": "FTP", "base_url": "ftp://voisin.example"})
    assert page.status_code == 422 and neighbours.neighbours() == []
    client.login(place.agent)
    assert client.post("/temoignages/gestion/voisins",
                       data={"name": "Voisin", "base_url": "https://voisin.example"}).status_code == 403


def test_open_data_that_does_not_pass_the_schema_is_refused():
    good = {"authority": "Val", "site": "https://val.example/temoignages", "license": "Licence Ouverte",
            "testimonies": [{"id": "1", "url": "https://val.example/temoignages/t/1", "body": "CCAS",
                             "speaker_name": "A", "recorded_on": "2026-11-02", "video": "https://val.example/v",
                             "captions": "https://val.example/c.vtt"}]}
    assert OpenData().load(good)["testimonies"][0]["body"] == "CCAS"
    for bad in ({**good, "testimonies": [{**good["testimonies"][0], "video": "javascript:alert(1)"}]},
                {**good, "testimonies": "none"}, {"authority": "Val"}):
        with pytest.raises(ValidationError):
            OpenData().load(bad)
