"""Write paths under real concurrency: threads released together against a live server.

On the embedded default the server is the threaded werkzeug server of the browser tests; with
``TANDEM_RACE_GUNICORN=1`` (set by ``.ci/run`` on PostgreSQL) the same tests run against gunicorn with
4 worker processes of 2 threads on the test database, as in production. Each race is run 5 times.
"""

from __future__ import annotations

import hashlib
import http.cookiejar
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from webapp.core.audit import AuditEvent
from webapp.core.clock import utcnow
from webapp.excursions import service as excursions
from webapp.excursions.models import EvidenceItem, Excursion
from webapp.extensions import db
from webapp.notes import service as notes
from webapp.notes.models import Answer, Note

ROUNDS = 5
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


class Person:
    """One signed-in person speaking HTTP (stdlib only): their cookie and CSRF token are sent by every
    thread, so many requests of the same person can run at once."""

    def __init__(self, base: str, user):
        self.base = base
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        token = json.loads(opener.open(f"{base}/api/v1/csrf-token").read())["token"]
        form = urllib.parse.urlencode({"email": user.email, "password": PASSWORD}).encode()
        opener.open(urllib.request.Request(f"{base}/login", data=form,  # noqa: S310 (the test's own server)
                                           headers={"X-CSRFToken": token}))
        self.token = json.loads(opener.open(f"{base}/api/v1/csrf-token").read())["token"]
        self.cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        assert self.send("GET", "/api/v1/me").status == 200, "sign-in failed"

    def send(self, method: str, path: str, payload=None, data: bytes | None = None, headers=None) -> Reply:
        body = json.dumps(payload).encode() if payload is not None else data
        request = urllib.request.Request(f"{self.base}{path}", data=body, method=method, headers={  # noqa: S310
            "Cookie": self.cookie, "X-CSRFToken": self.token, "Accept": "application/json",
            **({"Content-Type": "application/json"} if payload is not None else {}), **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback only)
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())


def together(calls) -> list[Reply]:
    """Run every call in its own thread, all released at the same instant by a barrier."""
    barrier = threading.Barrier(len(calls))
    replies: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            replies[index] = call()
        except Exception as error:  # reported by the assertion below, with the others
            replies[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(isinstance(r, Reply) for r in replies), replies
    return replies


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving ``create_app()`` on the test database, as the Procfile's ``web`` does."""

    def __init__(self, app):
        self.port = _free_port()
        env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
               "SECRET_KEY": app.config["SECRET_KEY"], "TANDEM_INSTANCE_PATH": app.instance_path,
               "TANDEM_QUEUE_IMMEDIATE": "1"}
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "-w", "4", "--threads", "2", "-b", f"127.0.0.1:{self.port}", "--timeout", "60",
             "webapp:create_app()"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait()

    def _wait(self) -> None:
        # gunicorn says on stderr when its socket listens; a request made from then on waits in the
        # socket's queue until a worker takes it (no polling, no fixed wait).
        seen = []
        for line in iter(self.process.stderr.readline, b""):
            seen.append(line.decode(errors="replace"))
            if "Listening at:" in seen[-1]:
                break
        else:
            pytest.fail(f"gunicorn did not start: {''.join(seen)[-2000:]}")
        urllib.request.urlopen(f"{self.url}/api/v1/csrf-token", timeout=60)  # noqa: S310 (loopback)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self.process.stderr.close()


@pytest.fixture(scope="module")
def server(app, live_server):
    """The base URL: gunicorn when ``TANDEM_RACE_GUNICORN=1``, otherwise the threaded live server."""
    if os.environ.get("TANDEM_RACE_GUNICORN") == "1":
        gunicorn = Gunicorn(app)
        yield gunicorn.url
        gunicorn.stop()
    else:
        yield live_server.url


def _count(stmt) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(stmt.subquery()))


def _events(action: str, subject_id) -> int:
    return _count(db.select(AuditEvent.id).where(AuditEvent.action == action,
                                                 AuditEvent.subject_id == str(subject_id)))


# --- a note decided by two élus at once ------------------------------------------------------------

def _sent_note(author, manager, elus) -> Note:
    note = notes.create_note(author, title="Horaires d’été", body="Deux scénarios chiffrés.",
                             addressee_ids=[e.id for e in elus], options=["Ouvrir", "Fermer"],
                             proposed_deadline=utcnow() + timedelta(days=5), proposed_argument="Avant l’été.")
    notes.submit(author, note)
    notes.agree(manager, note)
    db.session.commit()
    return note


def test_twenty_decisions_at_once_record_one_and_tell_the_others_who_decided(app, make, server):
    manager, author = make.manager_with_agent()
    marion, paul = make.elu("Marion Guérin"), make.elu("Paul Arnaud")
    db.session.commit()
    people = [Person(server, marion), Person(server, paul)]
    for _round in range(ROUNDS):
        note = _sent_note(author, manager, [marion, paul])
        url = f"/api/v1/notes/{note.id}/answers"
        replies = together([
            (lambda i=i, url=url: people[i % 2].send("POST", url, {"kind": "decision", "verdict": "option",
                                                                  "option": "AB"[i % 2]}))
            for i in range(20)])
        statuses = sorted(r.status for r in replies)
        assert statuses == [201] + [409] * 19, statuses
        winner = next(r.json() for r in replies if r.status == 201)
        expected = f"{winner['author']['name']} a déjà décidé : option {winner['option']['label']}"
        for loser in (r.json()["error"] for r in replies if r.status == 409):
            assert loser["code"] == "conflict" and loser["message"] == expected, loser
            assert loser["current"]["status"] == "decided" and loser["current"]["id"] == str(note.id)
            assert [a["id"] for a in loser["current"]["answers"] if a["kind"] == "decision"] == [winner["id"]]
        assert _count(db.select(Answer.id).where(Answer.note_id == note.id, Answer.kind == "decision")) == 1
        assert _events("note.decision", note.id) == 1


def test_ten_first_openings_at_once_record_one_receipt(app, make, server):
    manager, author = make.manager_with_agent()
    elu = make.elu()
    db.session.commit()
    person = Person(server, elu)
    for _round in range(ROUNDS):
        note = _sent_note(author, manager, [elu])
        url = f"/api/v1/notes/{note.id}/acknowledge"
        replies = together([lambda u=url: person.send("POST", u) for _ in range(10)])
        assert all(r.status == 200 for r in replies), [(r.status, r.body[:200]) for r in replies]
        assert len({r.json()["addressees"][0]["acknowledged_at"] for r in replies}) == 1
        assert _events("note.acknowledged", note.id) == 1


# --- the mini-bilan saved by twenty writers of the same revision -----------------------------------

def _excursion(agent, elu) -> Excursion:
    excursion = excursions.create_excursion(agent, title="Accueil du public", elu_ids=[elu.id],
                                            starts_at=utcnow() + timedelta(days=2), duration_minutes=120)
    db.session.commit()
    return excursion


def test_twenty_bilan_saves_of_one_revision_keep_exactly_one(app, make, server):
    _manager, agent = make.manager_with_agent()
    elu = make.elu()
    db.session.commit()
    people = [Person(server, agent), Person(server, elu)]
    for _round in range(ROUNDS):
        excursion = _excursion(agent, elu)
        url = f"/api/v1/excursions/{excursion.id}/bilan"
        etag = people[0].send("GET", url).headers["ETag"]
        replies = together([
            (lambda i=i, url=url, etag=etag: people[i % 2].send(
                "PUT", url, {"text": f"Version {i}", "surprises": ""}, headers={"If-Match": etag}))
            for i in range(20)])
        statuses = sorted(r.status for r in replies)
        assert statuses == [200] + [412] * 19, statuses
        saved = next(r.json() for r in replies if r.status == 200)
        for loser in (r.json()["error"] for r in replies if r.status == 412):
            assert loser["current"]["text"] == saved["text"], loser
        db.session.expire_all()
        stored = db.session.get(Excursion, excursion.id)
        assert (stored.bilan_revision, stored.bilan_text) == (1, saved["text"])
        assert _events("excursion.bilan_saved", excursion.id) == 1


# --- one client id sent ten times at once ----------------------------------------------------------

def test_ten_creations_under_one_client_id_store_one_row_and_never_fail(app, make, server):
    _manager, agent = make.manager_with_agent()
    elu = make.elu()
    db.session.commit()
    person = Person(server, agent)
    for _round in range(ROUNDS):
        excursion = _excursion(agent, elu)
        item = {"id": str(uuid.uuid4()), "kind": "text", "captured_at": utcnow().isoformat(), "text": "Vu"}
        items_url = f"/api/v1/excursions/{excursion.id}/items"
        replies = together([lambda u=items_url, b=item: person.send("POST", u, b) for _ in range(10)])
        assert all(r.status in (200, 201) for r in replies), [(r.status, r.body[:200]) for r in replies]
        assert {r.json()["id"] for r in replies} == {item["id"]}
        assert _count(db.select(EvidenceItem.id).where(EvidenceItem.id == uuid.UUID(item["id"]))) == 1

        draft = {"id": str(uuid.uuid4()), "title": "Une note hors ligne", "body": "Écrite dans le train."}
        replies = together([lambda b=draft: person.send("POST", "/api/v1/notes", b) for _ in range(10)])
        assert all(r.status == 201 for r in replies), [(r.status, r.body[:200]) for r in replies]
        assert _count(db.select(Note.id).where(Note.id == uuid.UUID(draft["id"]))) == 1
        assert _events("note.created", draft["id"]) == 1
    changed = person.send("POST", "/api/v1/notes", {**draft, "body": "Un autre texte."})
    assert changed.status == 409 and changed.json()["error"]["code"] == "conflict"


# --- the same chunk of one media sent ten times at once --------------------------------------------

def test_ten_puts_of_each_chunk_store_the_file_once_and_intact(app, make, server):
    _manager, agent = make.manager_with_agent()
    elu = make.elu()
    db.session.commit()
    person = Person(server, agent)
    chunk = 200_000
    for round_ in range(ROUNDS):
        data = os.urandom(524_888 + round_)
        media = {"id": str(uuid.uuid4()), "content_type": "image/jpeg", "size": len(data),
                 "sha256": hashlib.sha256(data).hexdigest()}
        excursion = _excursion(agent, elu)
        item = {"id": str(uuid.uuid4()), "kind": "photo", "captured_at": utcnow().isoformat(), "media": media}
        assert person.send("POST", f"/api/v1/excursions/{excursion.id}/items", item).status == 201
        url = f"/api/v1/excursions/media/{media['id']}"
        for offset in range(0, len(data), chunk):
            piece = data[offset:offset + chunk]
            replies = together([
                (lambda u=f"{url}?offset={offset}", piece=piece: person.send(
                    "PUT", u, data=piece, headers={"Content-Type": "application/octet-stream"}))
                for _ in range(10)])
            # Each twin is answered with what the server holds: the chunk is stored once.
            assert all(r.status == 200 for r in replies), [(r.status, r.body[:200]) for r in replies]
            assert {int(r.headers["Upload-Offset"]) for r in replies} == {min(offset + chunk, len(data))}
        served = person.send("GET", f"{url}/content")
        assert served.status == 200
        assert hashlib.sha256(served.body).hexdigest() == media["sha256"]


def test_ten_bundles_of_the_same_files_at_once_keep_each_file_intact(app, make, server):
    _manager, agent = make.manager_with_agent()
    elu = make.elu()
    db.session.commit()
    person = Person(server, agent)
    for _round in range(ROUNDS):
        excursion = _excursion(agent, elu)
        files = [os.urandom(40_000), os.urandom(25_000)]
        declared = []
        for data in files:
            media = {"id": str(uuid.uuid4()), "content_type": "image/jpeg", "size": len(data),
                     "sha256": hashlib.sha256(data).hexdigest()}
            item = {"id": str(uuid.uuid4()), "kind": "photo", "captured_at": utcnow().isoformat(), "media": media}
            assert person.send("POST", f"/api/v1/excursions/{excursion.id}/items", item).status == 201
            declared.append(media)
        parts = ", ".join(f"{m['id']}={m['size']}" for m in declared)
        body = b"".join(files)
        replies = together([
            lambda body=body, parts=parts: person.send("POST", "/api/v1/excursions/media/bundle", data=body,
                                                       headers={"Bundle-Parts": parts,
                                                                "Content-Type": "application/octet-stream"})
            for _ in range(10)])
        assert all(r.status == 200 for r in replies), [(r.status, r.body[:200]) for r in replies]
        for media in declared:
            served = person.send("GET", f"/api/v1/excursions/media/{media['id']}/content")
            assert hashlib.sha256(served.body).hexdigest() == media["sha256"]
