"""Attachments: PDF and images only, 5 MB at most with a clear message, seen only by who sees the note."""

from tests.notes.helpers import note_in, world
from webapp.extensions import db
from webapp.notes import service

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _upload(client, url, data: bytes, name="budget.pdf"):
    # The multipart body is built here, in memory: the test client would spool a large one to a
    # temporary file it never closes (a ResourceWarning, hence an error under -W error).
    boundary = "tandem-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_author_attaches_a_pdf_and_only_people_who_see_the_note_can_download_it(app, make):
    w = world(make)
    note = note_in(w, "draft")
    author = app.test_client()
    author.login(w.author)
    created = _upload(author, f"/api/v1/notes/{note.id}/attachments", PDF)
    assert created.status_code == 201, created.get_data(as_text=True)
    url = created.get_json()["url"]
    assert created.get_json()["content_type"] == "application/pdf"
    service.submit(w.author, note)
    service.agree(w.manager, note)
    db.session.commit()
    elu = app.test_client()
    elu.login(w.elu)
    download = elu.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    outsider = app.test_client()
    outsider.login(w.unrelated)
    assert outsider.get(url).status_code == 403
    assert "budget.pdf" in elu.get(f"/notes/{note.id}").get_data(as_text=True)
    # Once sent, the note's attachments are frozen.
    assert _upload(author, f"/api/v1/notes/{note.id}/attachments", PDF).status_code == 403


def test_too_large_or_wrong_type_is_refused_with_a_clear_message(client, make):
    w = world(make)
    note = note_in(w, "draft")
    client.login(w.author)
    big = _upload(client, f"/api/v1/notes/{note.id}/attachments", PDF + b"0" * (5 * 1024 * 1024))
    assert big.status_code == 413
    assert big.get_json()["error"]["message"] == "Fichier trop volumineux : 5 Mo au plus par pièce jointe."
    script = _upload(client, f"/api/v1/notes/{note.id}/attachments", b"<script>alert(1)</script>", "x.pdf")
    assert script.status_code == 422 and "file" in script.get_json()["error"]["fields"]
    page = _upload(client, f"/notes/{note.id}/attachments", b"MZ executable", "outil.exe")
    assert page.status_code == 422
    assert "Seuls les PDF et les images" in page.get_data(as_text=True)
    assert db.session.get(type(note), note.id).attachments == []


def test_removing_an_attachment_from_the_draft_page(client, make):
    w = world(make)
    note = note_in(w, "draft")
    client.login(w.author)
    assert _upload(client, f"/notes/{note.id}/attachments", PDF).status_code == 302
    db.session.expire_all()
    [item] = db.session.get(type(note), note.id).attachments
    assert client.post(f"/notes/{note.id}/attachments/{item.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(type(note), note.id).attachments == []
