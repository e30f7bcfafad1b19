"""Evidence sync through the API: one item per client UUID, media in resumable chunks checked by SHA-256,
clear refusals for files over the limit."""

from __future__ import annotations

import hashlib
import io
import os
import uuid

from tests.excursions.conftest import item_body, media_body
from webapp.core import uploads
from webapp.excursions import media as media_store
from webapp.excursions.models import EvidenceItem, Media
from webapp.extensions import db


def _items_url(team) -> str:
    return f"/api/v1/excursions/{team.excursion.id}/items"


def test_same_uuid_twice_is_one_item(client, team):
    client.login(team.elu)
    body = item_body(text="Une file d’attente dehors", tags=["signal faible"])
    first = client.post(_items_url(team), json=body)
    again = client.post(_items_url(team), json=body)
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["text"] == "Une file d’attente dehors"
    assert db.session.scalar(db.select(db.func.count()).select_from(EvidenceItem)) == 1


def test_replay_with_idempotency_key_returns_first_answer(client, team):
    client.login(team.agent)
    body = item_body()
    headers = {"Idempotency-Key": body["id"]}
    assert client.post(_items_url(team), json=body, headers=headers).status_code == 201
    replay = client.post(_items_url(team), json=body, headers=headers)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"


def test_chunked_upload_resumes_and_checks_the_hash(client, team):
    client.login(team.agent)
    data = os.urandom(10_000)
    media = media_body(data)
    assert client.post(_items_url(team), json=item_body("photo", media=media)).status_code == 201
    url = f"/api/v1/excursions/media/{media['id']}"
    first = client.put(f"{url}?offset=0", data=data[:4000])
    assert first.get_json() == {**first.get_json(), "received": 4000, "complete": False}
    # A chunk sent again after a lost answer is answered with what the server holds, stored once;
    # other bytes claiming an offset already held are refused with where to resume.
    again = client.put(f"{url}?offset=0", data=data[:4000])
    assert again.status_code == 200 and again.headers["Upload-Offset"] == "4000"
    assert again.get_json()["received"] == 4000
    other = client.put(f"{url}?offset=0", data=os.urandom(4000))
    assert other.status_code == 409 and other.headers["Upload-Offset"] == "4000"
    ahead = client.put(f"{url}?offset=6000", data=data[6000:8000])
    assert ahead.status_code == 409 and ahead.headers["Upload-Offset"] == "4000"
    assert client.head(url).headers["Upload-Offset"] == "4000"
    client.put(url, data=data[4000:8000], headers={"Content-Range": "bytes 4000-7999/10000"})
    done = client.put(f"{url}?offset=8000", data=data[8000:])
    assert done.status_code == 200 and done.get_json()["complete"] is True
    with client.get(f"{url}/content") as content:
        assert hashlib.sha256(content.data).hexdigest() == media["sha256"]


def test_hash_mismatch_is_a_clear_422_and_the_upload_starts_again(client, team):
    client.login(team.agent)
    data = b"original bytes" * 100
    media = media_body(data)
    client.post(_items_url(team), json=item_body("photo", media=media))
    url = f"/api/v1/excursions/media/{media['id']}"
    response = client.put(f"{url}?offset=0", data=b"X" * len(data))
    assert response.status_code == 422
    assert "empreinte SHA-256" in response.get_json()["error"]["message"]
    assert client.head(url).headers["Upload-Offset"] == "0"
    assert client.get(f"/api/v1/excursions/{team.excursion.id}").get_json()["missing_media"] == 1


def test_oversized_file_is_a_json_413_with_a_french_message(client, team, app):
    client.login(team.agent)
    app.config["EXCURSION_MEDIA_MAX_BYTES"] = 1000
    try:
        response = client.post(_items_url(team), json=item_body("audio", media=media_body(b"a" * 2000, "audio/webm")))
    finally:
        app.config["EXCURSION_MEDIA_MAX_BYTES"] = 50 * 1024 * 1024
    assert response.status_code == 413 and response.is_json
    assert "Fichier trop volumineux" in response.get_json()["error"]["message"]


def test_chunk_over_the_request_limit_is_json_not_a_raw_page(client, team, app):
    client.login(team.agent)
    data = b"b" * 3000
    media = media_body(data)
    client.post(_items_url(team), json=item_body("photo", media=media))
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = client.put(f"/api/v1/excursions/media/{media['id']}?offset=0", data=data)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "too_large"


def test_item_is_not_synced_while_its_attachment_is_missing(client, team):
    client.login(team.agent)
    data = b"photo" * 50
    media = media_body(data)
    client.post(_items_url(team), json=item_body("photo", media=media))
    listed = client.get(_items_url(team)).get_json()["items"]
    assert listed[0]["synced"] is False
    client.put(f"/api/v1/excursions/media/{media['id']}?offset=0", data=data)
    assert client.get(_items_url(team)).get_json()["items"][0]["synced"] is True
    stored = db.session.get(Media, uuid.UUID(media["id"]))
    assert media_store.media_path(stored).read_bytes() == data


def test_answer_must_point_to_a_prepared_question(client, team):
    client.login(team.elu)
    question = team.excursion.questions[0]
    ok = client.post(_items_url(team), json=item_body("answer", question_id=str(question.id)))
    wrong = client.post(_items_url(team), json=item_body("answer", question_id=str(team.excursion.id)))
    assert ok.status_code == 201 and wrong.status_code == 422


def test_batch_gives_one_status_per_item_and_refuses_only_the_bad_one(client, team, app):
    client.login(team.agent)
    good, again = item_body(text="Première"), item_body(text="Deuxième")
    client.post(_items_url(team), json=again)
    app.config["EXCURSION_MEDIA_MAX_BYTES"] = 100
    try:
        too_big = item_body("photo", media=media_body(b"z" * 500))
        response = client.post(f"{_items_url(team)}/batch",
                               json={"items": [good, again, too_big, {"id": "pas-un-uuid", "kind": "text"}]})
    finally:
        app.config["EXCURSION_MEDIA_MAX_BYTES"] = 50 * 1024 * 1024
    assert response.status_code == 200
    statuses = [r["status"] for r in response.get_json()["results"]]
    assert statuses == [201, 200, 413, 422]
    assert "Fichier trop volumineux" in response.get_json()["results"][2]["error"]["message"]
    texts = sorted(i["text"] for i in client.get(_items_url(team)).get_json()["items"])
    assert texts == ["Deuxième", "Première"]


def test_active_content_cannot_pose_as_a_photo(client, team):
    client.login(team.agent)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post(_items_url(team), json=item_body("photo", media=media_body(svg, "image/svg+xml")))
    assert response.status_code == 422
    assert "photos et les enregistrements audio" in response.get_json()["error"]["message"]


# --- bundles: several whole small files in one request ------------------------------------------------

BUNDLE_URL = "/api/v1/excursions/media/bundle"


def _declare(client, team, data: bytes) -> dict:
    media = media_body(data)
    assert client.post(_items_url(team), json=item_body("photo", media=media)).status_code == 201
    return media


def _send_bundle(client, files: list[tuple[str, bytes]], **kwargs):
    parts = ", ".join(f"{media_id}={len(data)}" for media_id, data in files)
    return client.post(BUNDLE_URL, data=b"".join(d for _, d in files), content_type="application/octet-stream",
                       headers={"Bundle-Parts": parts}, **kwargs)


def _on_disk(media_id: str) -> bytes | None:
    media = db.session.get(Media, uuid.UUID(media_id))
    path = media_store.media_path(media)
    return path.read_bytes() if media.complete and path.exists() else None


def test_a_bundle_confirms_each_verified_file_and_refuses_only_the_bad_ones(client, team):
    client.login(team.elu)
    photo, recording, damaged = os.urandom(3000), os.urandom(1200), os.urandom(800)
    first, second, third = (_declare(client, team, data) for data in (photo, recording, damaged))
    unknown = str(uuid.uuid4())
    response = _send_bundle(client, [(first["id"], photo), (unknown, b"x" * 10), (second["id"], recording),
                                     (third["id"], b"y" * len(damaged))])
    assert response.status_code == 200
    results = {r["id"]: r for r in response.get_json()["results"]}
    assert results[first["id"]]["complete"] and results[second["id"]]["complete"]
    assert results[unknown]["status"] == 404 and "capture doit être envoyée" in results[unknown]["error"]
    assert results[third["id"]]["status"] == 422 and not results[third["id"]]["complete"]
    assert "empreinte SHA-256" in results[third["id"]]["error"]
    db.session.expire_all()
    assert _on_disk(first["id"]) == photo and _on_disk(second["id"]) == recording
    assert _on_disk(third["id"]) is None
    assert client.head(f"/api/v1/excursions/media/{third['id']}").headers["Upload-Offset"] == "0"
    assert client.get(f"/api/v1/excursions/{team.excursion.id}").get_json()["missing_media"] == 1
    # The phone sends the damaged one again, correctly; a file already confirmed changes nothing.
    again = _send_bundle(client, [(first["id"], photo), (third["id"], damaged)])
    assert [r["complete"] for r in again.get_json()["results"]] == [True, True]
    assert client.get(f"/api/v1/excursions/{team.excursion.id}").get_json()["missing_media"] == 0


def test_a_bundle_cut_in_the_middle_keeps_the_files_received_whole(client, team):
    client.login(team.agent)
    whole, cut = os.urandom(2000), os.urandom(2000)
    first, second = _declare(client, team, whole), _declare(client, team, cut)
    body = whole + cut[:500]  # the connection drops after 500 bytes of the second file
    response = client.post(BUNDLE_URL, input_stream=io.BytesIO(body), content_type="application/octet-stream",
                           environ_overrides={"CONTENT_LENGTH": str(len(whole) + len(cut))},
                           headers={"Bundle-Parts": f"{first['id']}={len(whole)}, {second['id']}={len(cut)}"})
    results = {r["id"]: r for r in response.get_json()["results"]}
    assert results[first["id"]]["complete"] and not results[second["id"]]["complete"]
    db.session.expire_all()
    assert _on_disk(first["id"]) == whole and _on_disk(second["id"]) is None


def test_a_bundle_refuses_files_of_others_and_wrong_sizes(client, team, make):
    client.login(team.agent)
    data = os.urandom(500)
    media = _declare(client, team, data)
    client.post("/logout")
    client.login(team.manager)  # sees the excursion, does not capture
    refused = _send_bundle(client, [(media["id"], data)]).get_json()["results"][0]
    assert refused["status"] == 403 and not refused["complete"]
    client.post("/logout")
    client.login(make.agent())  # a stranger: the file does not exist for them
    assert _send_bundle(client, [(media["id"], data)]).get_json()["results"][0]["status"] == 404
    client.post("/logout")
    client.login(team.agent)
    short = _send_bundle(client, [(media["id"], data[:400])]).get_json()["results"][0]
    assert short["status"] == 422 and "Taille différente" in short["error"]
    db.session.expire_all()
    assert _on_disk(media["id"]) is None


def test_a_bundle_with_a_bad_header_or_too_heavy_is_a_clear_json_refusal(client, team, app):
    client.login(team.agent)
    data = os.urandom(3000)
    media = _declare(client, team, data)
    missing = client.post(BUNDLE_URL, data=data, content_type="application/octet-stream")
    assert missing.status_code == 400 and "Bundle-Parts" in missing.get_json()["error"]["message"]
    garbled = client.post(BUNDLE_URL, data=data, content_type="application/octet-stream",
                          headers={"Bundle-Parts": "photo.jpg"})
    assert garbled.status_code == 400
    wrong_total = client.post(BUNDLE_URL, data=data, content_type="application/octet-stream",
                              headers={"Bundle-Parts": f"{media['id']}=2999"})
    assert wrong_total.status_code == 400 and "longueur" in wrong_total.get_json()["error"]["message"]
    app.config["EXCURSION_BUNDLE_BYTES"] = 1000
    try:
        heavy = _send_bundle(client, [(media["id"], data)])
    finally:
        app.config["EXCURSION_BUNDLE_BYTES"] = 4 * 1024 * 1024
    assert heavy.status_code == 413 and "Envoi groupé trop volumineux" in heavy.get_json()["error"]["message"]
    db.session.expire_all()
    assert _on_disk(media["id"]) is None


def test_a_chunk_costs_its_bytes_hashed_as_written_and_a_few_statements(client, team, app, monkeypatch):
    """The last chunk completes the file without reading it back, and every chunk runs the same few SQL
    statements, however far the upload is."""
    from sqlalchemy import event

    client.login(team.agent)
    data = os.urandom(50_000)
    media = media_body(data)
    client.post(_items_url(team), json=item_body("photo", media=media))
    url = f"/api/v1/excursions/media/{media['id']}"
    reads = []
    monkeypatch.setattr(uploads, "_sha256", lambda path: reads.append(path) or "")
    counts = []
    with app.app_context():
        engine = db.engine
    for start in range(0, 40_000, 10_000):
        statements = []
        listener = lambda *args, seen=statements: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.put(f"{url}?offset={start}", data=data[start:start + 10_000]).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert len(set(counts)) == 1 and counts[0] <= 4, counts
    done = client.put(f"{url}?offset=40000", data=data[40_000:])
    assert done.get_json()["complete"] is True and reads == []
    with client.get(f"{url}/content") as content:
        assert content.data == data


def test_a_chunk_the_disk_refused_is_sent_again_and_the_file_still_matches(client, team, monkeypatch):
    """The chunk is hashed while it is written: when the write fails (a full disk), the bytes it hashed
    are not counted, so the retry completes the file instead of failing its SHA-256 check."""
    import builtins

    client.login(team.agent)
    data = os.urandom(30_000)
    media = media_body(data)
    client.post(_items_url(team), json=item_body("photo", media=media))
    url = f"/api/v1/excursions/media/{media['id']}"
    assert client.put(f"{url}?offset=0", data=data[:10_000]).status_code == 200

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def seek(self, offset):
            self.handle.seek(offset)

        def write(self, _chunk):
            raise OSError(28, "No space left on device")

    failing = {"left": 1}

    def disk(path, mode="r", *args, **kwargs):
        handle = builtins.open(path, mode, *args, **kwargs)  # noqa: SIM115 (returned to the code under test)
        if mode == "r+b" and failing["left"]:
            failing["left"] -= 1
            return FullDisk(handle)
        return handle

    monkeypatch.setattr(uploads, "open", disk, raising=False)
    try:
        refused = client.put(f"{url}?offset=10000", data=data[10_000:20_000])
        assert refused.status_code >= 500
    except OSError:
        pass  # the test client may raise what the server would answer with a 500
    assert client.head(url).headers["Upload-Offset"] == "10000"
    assert client.put(f"{url}?offset=10000", data=data[10_000:20_000]).status_code == 200
    done = client.put(f"{url}?offset=20000", data=data[20_000:])
    assert done.status_code == 200 and done.get_json()["complete"] is True
    with client.get(f"{url}/content") as content:
        assert content.data == data


def test_a_chunk_cut_midway_keeps_what_arrived_and_the_upload_resumes_after_it(client, team, monkeypatch):
    """A chunk is written as it arrives (by blocks, each hashed too): a connection cut in the middle of
    it keeps the blocks that arrived, the server's offset says so, and the device sends the rest."""
    monkeypatch.setattr(uploads, "BLOCK_BYTES", 4096)
    client.login(team.agent)
    data = os.urandom(30_000)
    media = media_body(data)
    client.post(_items_url(team), json=item_body("audio", media=media))
    url = f"/api/v1/excursions/media/{media['id']}"
    # 20 000 bytes announced, 10 000 sent before the connection dropped.
    cut = client.put(f"{url}?offset=0", input_stream=io.BytesIO(data[:10_000]),
                     headers={"Content-Type": "application/octet-stream"},
                     environ_overrides={"CONTENT_LENGTH": "20000"})
    assert cut.status_code == 400
    assert client.head(url).headers["Upload-Offset"] == "10000"
    done = client.put(f"{url}?offset=10000", data=data[10_000:])
    assert done.status_code == 200 and done.get_json()["complete"] is True
    with client.get(f"{url}/content") as content:
        assert content.data == data
