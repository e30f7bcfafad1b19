"""Testimonies without a browser: who collects and publishes (policy), the upload checked by SHA-256, no
publication without captions, the WebVTT and the transcript, the public site without sign-in nor cookie,
range requests answered 206, the open data, withdrawal (off the site and the JSON at once) and the files
dropped after the documented delay."""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import timedelta

import pytest

from tests.testimonies.conftest import BOARD, phone_body, send
from webapp.core import uploads
from webapp.core.clock import utcnow
from webapp.core.errors import DomainError
from webapp.extensions import db
from webapp.testimonies import captions, models, policy, service

VIDEO = os.urandom(20_000)
POSTER = os.urandom(3_000)
PUBLIC_PAGES = ["/temoignages", "/temoignages/candidats", "/temoignages/voisins",
                "/temoignages/instances/external_body", "/temoignages/donnees/temoignages.json"]


def _collected(client, place, who=None):
    client.login(who or place.clerk)
    body = phone_body(place, VIDEO, POSTER)
    send(client, body, VIDEO, POSTER)
    return db.session.get(models.Testimony, uuid.UUID(body["id"])), body


def _captioned(client, testimony):
    url = f"/temoignages/gestion/{testimony.id}"
    for start, end, text in (("0:00", "0:01.5", "Bonjour, je suis principale."),
                             ("0:01.5", "0:03", "Le conseil se réunit le mardi."),
                             ("0:03", "0:05", "Comptez deux heures par mois.")):
        assert client.post(f"{url}/cues", data={"start": start, "end": end, "text": text}).status_code == 302
    assert client.post(f"{url}/transcript", data={"transcript": "Bonjour, je suis principale.\nLe conseil…"}
                       ).status_code == 302


@pytest.mark.parametrize("who, allowed", [("clerk", True), ("admin", True), ("agent", False), ("elu", False)])
def test_only_the_assemblies_service_and_administrators_collect_and_publish(client, place, who, allowed):
    user = getattr(place, who)
    assert policy.can_collect(user) is allowed and policy.can_publish(user) is allowed
    client.login(user)
    body = phone_body(place, VIDEO)
    assert client.post("/api/v1/testimonies", json=body).status_code == (201 if allowed else 403)
    for path in ("/temoignages/gestion", "/temoignages/gestion/collecte"):
        assert client.get(path).status_code == (200 if allowed else 403)
    if not allowed:
        other, _ = _collected(client, place)
        client.login(user)
        assert client.post(f"/temoignages/gestion/{other.id}/publish").status_code == 403
        assert client.post(f"/temoignages/gestion/{other.id}/cues",
                           data={"start": "0:00", "end": "0:01", "text": "x"}).status_code == 403
        assert client.put(f"/api/v1/testimonies/files/{other.video.id}?offset=0", data=b"x").status_code == 403


def test_signed_out_nobody_collects(client, place):
    assert client.post("/api/v1/testimonies", json=phone_body(place, VIDEO)).status_code == 401
    assert client.get("/temoignages/gestion/collecte").status_code in (302, 401)


def test_a_testimony_and_its_files_arrive_once_with_their_hash_checked(client, place):
    testimony, body = _collected(client, place)
    assert testimony.status == "draft" and testimony.consent_name == "Claire Martin"
    assert testimony.consent_text == service.CONSENT_TEXT and testimony.consented_at is not None
    assert testimony.video.complete and testimony.poster.complete
    assert hashlib.sha256(uploads.media_path(testimony.video).read_bytes()).hexdigest() == body["video"]["sha256"]
    # A replay (answer lost) changes nothing; the same id with other files is a conflict.
    assert client.post("/api/v1/testimonies", json=body).status_code == 200
    other = {**body, "video": {**body["video"], "sha256": "0" * 64}}
    assert client.post("/api/v1/testimonies", json=other).status_code == 409
    assert db.session.scalar(db.select(db.func.count()).select_from(models.Testimony)) == 1


def test_a_corrupted_upload_is_refused_and_resumes_from_the_offset_the_server_holds(client, place):
    client.login(place.clerk)
    body = phone_body(place, VIDEO)
    client.post("/api/v1/testimonies", json=body)
    url = f"/api/v1/testimonies/files/{body['video']['id']}"
    assert client.put(f"{url}?offset=0", data=VIDEO[:5000]).status_code == 200
    wrong = client.put(f"{url}?offset=9000", data=VIDEO[9000:10000])
    assert wrong.status_code == 409 and wrong.headers["Upload-Offset"] == "5000"
    bad = client.put(f"{url}?offset=5000", data=b"\0" * (len(VIDEO) - 5000))
    assert bad.status_code == 422 and "SHA-256" in bad.get_json()["error"]["message"]
    assert client.get(url).headers["Upload-Offset"] == "0"


def test_consent_and_body_are_required(client, place):
    client.login(place.clerk)
    unsigned = phone_body(place, VIDEO, consent_given=False)
    assert client.post("/api/v1/testimonies", json=unsigned).status_code == 422
    elsewhere = phone_body(place, VIDEO, body_id=str(place.mandate.id))
    assert client.post("/api/v1/testimonies", json=elsewhere).status_code == 422


def test_a_video_without_captions_cannot_be_published(client, place):
    testimony, _ = _collected(client, place)
    page = client.post(f"/temoignages/gestion/{testimony.id}/publish")
    assert page.status_code == 422
    assert "sans sous-titres ne peut pas être publiée" in page.get_data(as_text=True)
    with pytest.raises(DomainError):
        service.publish(place.clerk, testimony)
    db.session.expire_all()
    assert db.session.get(models.Testimony, testimony.id).status == "draft"
    _captioned(client, testimony)
    assert client.post(f"/temoignages/gestion/{testimony.id}/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(models.Testimony, testimony.id).status == "published"


def test_cue_editor_checks_timecodes_and_serves_webvtt(client, place):
    testimony, _ = _collected(client, place)
    url = f"/temoignages/gestion/{testimony.id}"
    refused = client.post(f"{url}/cues", data={"start": "0:05", "end": "0:02", "text": "À l’envers"})
    assert refused.status_code == 422 and "La fin doit venir après le début." in refused.get_data(as_text=True)
    _captioned(client, testimony)
    cue = db.session.get(models.Testimony, testimony.id).cues[1]
    assert client.post(f"{url}/cues/{cue.id}", data={"start": "00:00:01.500", "end": "0:04",
                                                     "text": "Il se réunit <le mardi> & le jeudi."}).status_code == 302
    vtt = client.get(f"/temoignages/t/{testimony.id}/sous-titres.vtt")
    assert vtt.mimetype == "text/vtt"
    text = vtt.get_data(as_text=True)
    assert text.startswith("WEBVTT\n")
    assert "00:00:01.500 --> 00:00:04.000\nIl se réunit &lt;le mardi&gt; &amp; le jeudi." in text
    assert client.post(f"{url}/cues/{cue.id}/remove").status_code == 302
    db.session.expire_all()
    assert len(db.session.get(models.Testimony, testimony.id).cues) == 2


def test_timecodes():
    assert captions.parse_timecode("1:05") == 65_000
    assert captions.parse_timecode("01:02:03.4") == 3_723_400
    assert captions.parse_timecode("0:61") is None and captions.parse_timecode("abc") is None
    assert captions.timecode(3_723_400) == "01:02:03.400"


def _published(client, place):
    testimony, _body = _collected(client, place)
    _captioned(client, testimony)
    client.post(f"/temoignages/gestion/{testimony.id}/publish")
    client.post("/logout")
    return testimony


def test_the_public_site_needs_no_sign_in_and_sets_no_cookie(app, client, place):
    testimony = _published(client, place)
    visitor = app.test_client()
    pages = [*PUBLIC_PAGES, f"/temoignages/instance/{place.board.id}", f"/temoignages/t/{testimony.id}",
             f"/temoignages/t/{testimony.id}/sous-titres.vtt", f"/temoignages/t/{testimony.id}/poster",
             f"/temoignages/t/{testimony.id}/video"]
    for path in pages:
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        assert "public" in response.headers["Cache-Control"], path
        response.close()  # the files are streamed from disk
    body_page = visitor.get(f"/temoignages/instance/{place.board.id}").get_data(as_text=True)
    for text in (BOARD, "Claire Martin", "2e mardi 17:00–19:00", "3 h/mois", "Titulaire"):
        assert text in body_page, text
    page = visitor.get(f"/temoignages/t/{testimony.id}").get_data(as_text=True)
    assert '<track kind="captions"' in page and "sous-titres.vtt" in page and "Le conseil…" in page
    assert "Claire Martin" in visitor.get("/temoignages/candidats").get_data(as_text=True)
    found = visitor.get("/temoignages?theme=collège").get_data(as_text=True)
    assert BOARD in found and "Commission Mobilités" not in found.split("found-title")[1].split("</section>")[0]


def test_videos_are_streamed_with_range_requests(app, client, place):
    testimony = _published(client, place)
    visitor = app.test_client()
    part = visitor.get(f"/temoignages/t/{testimony.id}/video", headers={"Range": "bytes=100-1099"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-1099/{len(VIDEO)}"
    assert part.data == VIDEO[100:1100] and part.mimetype == "video/webm"
    assert "Set-Cookie" not in part.headers
    part.close()


def test_open_data_lists_published_testimonies_with_their_urls_and_licence(app, client, place):
    testimony = _published(client, place)
    draft, _ = _collected(client, place)
    data = app.test_client().get("/temoignages/donnees/temoignages.json").get_json()
    assert "Licence Ouverte" in data["license"] and data["authority"]
    (item,) = data["testimonies"]
    assert item["id"] == str(testimony.id) and item["body"] == BOARD and item["speaker_name"] == "Claire Martin"
    for key, end in (("video", "/video"), ("captions", "/sous-titres.vtt"), ("poster", "/poster"),
                     ("url", str(testimony.id))):
        assert item[key].startswith("http") and item[key].endswith(end), key
    assert str(draft.id) not in str(data)


def test_a_draft_is_not_public(app, client, place):
    testimony, _ = _collected(client, place)
    visitor = app.test_client()
    for path in (f"/temoignages/t/{testimony.id}", f"/temoignages/t/{testimony.id}/video",
                 f"/temoignages/t/{testimony.id}/sous-titres.vtt"):
        assert visitor.get(path).status_code == 404, path
    preview = client.get(f"/temoignages/t/{testimony.id}/video")
    assert preview.status_code == 200  # its collector previews it
    preview.close()


def test_withdrawing_removes_it_at_once_and_the_worker_drops_the_files_later(app, client, place):
    testimony = _published(client, place)
    client.login(place.clerk)
    assert client.post(f"/temoignages/gestion/{testimony.id}/withdraw").status_code == 302
    visitor = app.test_client()
    assert visitor.get(f"/temoignages/t/{testimony.id}").status_code == 404
    assert visitor.get(f"/temoignages/t/{testimony.id}/video").status_code == 404
    assert "Claire Martin" not in visitor.get(f"/temoignages/instance/{place.board.id}").get_data(as_text=True)
    assert visitor.get("/temoignages/donnees/temoignages.json").get_json()["testimonies"] == []
    db.session.expire_all()
    testimony = db.session.get(models.Testimony, testimony.id)
    paths = [uploads.media_path(f) for f in testimony.files]
    assert service.drop_withdrawn_files() == 0 and all(p.exists() for p in paths)  # not before the delay
    later = utcnow() + timedelta(days=app.config["TESTIMONY_DROP_DAYS"], minutes=1)
    assert service.drop_withdrawn_files(later) == 1
    db.session.commit()
    assert not any(p.exists() for p in paths) and testimony.files_dropped_at is not None
    with pytest.raises(DomainError):
        service.publish(place.clerk, testimony)


def test_the_assemblies_home_lists_testimonies_to_publish(client, place):
    testimony, _ = _collected(client, place)
    home = client.get("/").get_data(as_text=True)
    assert "Témoignages à publier" in home and f"/temoignages/gestion/{testimony.id}" in home
    assert "la vidéo n’a pas de sous-titres" in home
    client.login(place.elu)
    assert "Témoignages à publier" not in client.get("/").get_data(as_text=True)


def test_the_demo_describes_its_bodies_on_the_public_site(app, client, place):
    from webapp.testimonies import demo

    body = service.bodies()[0]
    demo.SUMMARIES[body.name] = "Ce que fait l’instance."
    try:
        demo.build()
        db.session.commit()
    finally:
        del demo.SUMMARIES[body.name]
    page = app.test_client().get(f"/temoignages/instance/{body.id}").get_data(as_text=True)
    assert "Ce que fait l’instance." in page
