"""Load benchmark: 300 people at once on the web process exactly as the Procfile runs it (issue 16).

    .venv/bin/python benchmarks/load.py                    # embedded SQLite with the demo authority, < 1 min
    .venv/bin/python benchmarks/load.py --postgres URL     # that database is emptied first

Runs the release step (``init``) then the ``web`` line of the Procfile (gunicorn, bound to 127.0.0.1
only) on a fresh instance loaded with the demo authority, then runs a closed loop of 300 simulated people (threads, each
sending its next request when the previous one answered; keep-alive connections; no think time, so the
server is saturated and throughput is what it can give):

- the mix: élus open their inbox page, a note of it, their notifications, and decide a note (a write:
  each decision on a note of its own, prepared beforehand); agents open their notes page and their
  home, draft a note through the API and send a batch of captures of an excursion (writes), in
  proportions of a working morning;
- the baseline: the same 300 people calling ``/api/v1/ping`` (signed in as every page is: one statement).

Both run in alternating phases of 0.8 s (mix, ping, ping, mix, mix, ping…, 7 of each) so that machine
load hits them alike; the 300 people never stop, they switch what they send, and each phase counts the answers
of its kind that arrived inside it, over its measured length, from the moment the last request of the
other kind answered. Any status other than the expected one
counts as an error. The last line is ``load: ratio X`` = mix throughput / ping throughput (median over
the phase pairs).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import procfile  # noqa: E402

USERS = 300
ROUNDS = 7  # phase pairs (mix, ping), interleaved
PHASE = 0.8  # seconds counted per phase
PASSWORD = "mot-de-passe-bench-2026"
VENV_BIN = Path(sys.executable).parent


def environment(instance: str, database: str | None) -> dict:
    # Passwords hashed at argon2id's cheapest cost: the demo and the sign-ins before the run take seconds
    # instead of tens of seconds, and nobody signs in during the measured phases.
    env = {**os.environ, "TANDEM_INSTANCE_PATH": instance, "TANDEM_DEMO_PASSWORD": PASSWORD,
           "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}", "RATELIMIT_ENABLED": "0",
           "TANDEM_FAST_PASSWORD_HASH": "1"}
    env.pop("REDIS_URL", None)
    if database:
        env["DATABASE_URL"] = database
    else:
        env.pop("DATABASE_URL", None)
    return env


def prepare(env: dict, database: str | None) -> None:
    if database:
        import psycopg

        with psycopg.connect(database.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
            c.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    # The release step (``init``) and the demo run in ``accounts``, in the process that prepares the
    # decisions: one Python start fewer (each imports the whole app, seconds on a slow machine).


class Session:
    """One signed-in person: cookie, CSRF token, the notes they can open."""

    def __init__(self, port: int, email: str, to_decide: list[str] | None = None, excursion: str | None = None):
        self.port, self.email, self.cookie, self.notes = port, email, "", []
        self.to_decide = list(to_decide or [])  # notes kept for decisions: each decided once (pop is atomic)
        self.excursion = excursion
        self.ran_out = 0  # decisions that found no note left to decide
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        status, _ = self.request(conn, "GET", "/api/v1/csrf-token")
        token = json.loads(self.last)["token"]
        body = urlencode({"email": email, "password": PASSWORD})
        status, _ = self.request(conn, "POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                                  "X-CSRFToken": token})
        assert status == 302, (email, status)
        self.request(conn, "GET", "/api/v1/csrf-token")
        self.token = json.loads(self.last)["token"]
        self.request(conn, "GET", "/api/v1/notes?box=inbox&per_page=20")
        self.notes = [n["id"] for n in json.loads(self.last)["items"]]
        conn.close()

    def request(self, conn, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = {**(headers or {}), "Cookie": self.cookie} if self.cookie else dict(headers or {})
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        self.last = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self.cookie = value.split(";", 1)[0]
        return response.status, self.last


def mix_request(session: Session, rng: random.Random) -> tuple[str, str, str | None, dict, int]:
    """A request of a working morning: (method, path, body, headers, expected status)."""
    write = {"Content-Type": "application/json", "X-CSRFToken": session.token}
    if session.notes:  # an élu
        roll = rng.random()
        if roll < 0.35:
            return "GET", "/notes/inbox", None, {}, 200
        if roll < 0.7:
            return "GET", f"/notes/{rng.choice(session.notes)}", None, {"X-Tandem-Ahead": "1"}, 200
        if roll < 0.85:
            return "GET", "/notifications", None, {}, 200
        try:
            note = session.to_decide.pop()
        except IndexError:  # counted: a run that exhausts them measures another mix
            session.ran_out += 1
            return "GET", "/notes/inbox", None, {}, 200
        body = json.dumps({"kind": "decision", "verdict": "approve"})
        return "POST", f"/api/v1/notes/{note}/answers", body, write, 201
    roll = rng.random()
    if roll < 0.45:
        return "GET", "/notes", None, {}, 200
    if roll < 0.65:
        return "GET", "/", None, {}, 200
    if roll < 0.8 or session.excursion is None:
        body = json.dumps({"title": "Note de charge", "body": "Texte."})
        return "POST", "/api/v1/notes", body, write, 201
    now = time.time()
    items = [{"id": str(uuid.uuid4()), "kind": "text", "text": f"Observation {i} : file d’attente.", "tags": [],
              "captured_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(now + i))} for i in range(5)]
    return "POST", f"/api/v1/excursions/{session.excursion}/items/batch", json.dumps({"items": items}), write, 200


class Loop:
    """USERS people in a closed loop that never stops during the run; ``kind`` says what they send next
    (the mix or the ping). Each answer is counted for the kind of its request, at the time it arrived,
    so a phase's throughput is what arrived inside its window, over the window's real length: requests
    still in flight when the kind switches count for their own kind, and nothing waits for stragglers."""

    def __init__(self, sessions: list[Session], port: int):
        self.sessions, self.port, self.kind, self.running = sessions, port, "mix", True
        self.answers: dict[str, list[float]] = {"mix": [], "ping": []}
        self.errors = {"mix": 0, "ping": 0}
        self.in_flight = {"mix": 0, "ping": 0}
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.person, args=(i,), daemon=True) for i in range(USERS)]

    def person(self, index: int) -> None:
        rng = random.Random(index)
        session = self.sessions[index % len(self.sessions)]
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        while self.running:
            with self.lock:
                kind = self.kind
                self.in_flight[kind] += 1
            if kind == "ping":
                method, path, body, headers, expected = "GET", "/api/v1/ping", None, {}, 200
            else:
                method, path, body, headers, expected = mix_request(session, rng)
            try:
                conn.request(method, path, body=body, headers={**headers, "Cookie": session.cookie})
                response = conn.getresponse()
                response.read()
                ok = response.status == expected
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            with self.lock:
                self.in_flight[kind] -= 1
                if ok:
                    self.answers[kind].append(time.perf_counter())
                else:
                    self.errors[kind] += 1
        conn.close()

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.running = False
        for thread in self.threads:
            thread.join()

    def phase(self, kind: str, seconds: float) -> float:
        """Switch everyone to ``kind``; requests per second of that kind over the phase, counted once the
        last request of the other kind has answered (the server then works on this kind alone)."""
        other = "ping" if kind == "mix" else "mix"
        with self.lock:
            self.kind = kind
        while True:
            with self.lock:
                if self.in_flight[other] == 0:
                    break
            time.sleep(0.005)
        start = time.perf_counter()
        time.sleep(seconds)
        end = time.perf_counter()
        with self.lock:
            arrived = sum(1 for at in self.answers[kind] if start <= at < end)
        return arrived / (end - start)


SETUP = """
import json, sys
from datetime import timedelta
from webapp import create_app
from webapp.extensions import db
from webapp.core.clock import utcnow
from webapp.accounts.models import User
from webapp.accounts.roles import roles_of
from webapp.notes import service as notes
from webapp.excursions import service as excursions

from webapp.atlas import tasks as atlas_tasks

# No page of the mix reads the atlas: the demo's atlas PDF is not built (seconds of layout per run).
atlas_tasks.run_build = lambda build_id: None
app = create_app()
with app.app_context():
    assert sys.argv[2].endswith(" init"), sys.argv[2]  # the Procfile's release line is ``flask … init``
    for args in (["init"], ["demo"]):  # what the Procfile's release line, then ``flask demo``, do
        done = app.test_cli_runner().invoke(args=args)
        assert done.exit_code == 0, (args, done.output, done.exception)
        if args == ["init"]:
            print("released", flush=True)  # the database is up to date: the web process may start
    people = db.session.scalars(db.select(User).where(User.active.is_(True)).order_by(User.email)).all()
    elus = [u.email for u in people if roles_of(u) & {"elu"} and not roles_of(u) & {"agent", "cabinet"}][:8]
    agents = [u for u in people if "agent" in roles_of(u) and "cabinet" not in roles_of(u)][:8]
    author = next(u for u in agents if u.manager_id is not None)
    manager = db.session.get(User, author.manager_id)
    by_email = {u.email: u for u in db.session.scalars(db.select(User).where(User.email.in_(elus)))}
    to_decide = {}
    for email in elus:
        elu = by_email[email]
        for i in range(int(sys.argv[1])):
            note = notes.create_note(author, title=f"Décision {i}", body="Texte.", addressee_ids=[elu.id],
                                     proposed_deadline=utcnow() + timedelta(days=5 + i),
                                     proposed_argument="Vote en séance.")
            notes.submit(author, note)
            notes.agree(manager, note)
            to_decide.setdefault(email, []).append(str(note.id))
    trips = {a.email: str(excursions.create_excursion(a, title="Visite de charge", elu_ids=[by_email[elus[0]].id],
                                                      starts_at=utcnow() + timedelta(hours=1)).id) for a in agents}
    db.session.commit()
    print(json.dumps([elus, [a.email for a in agents], to_decide, trips]))
"""
DECISIONS = 48  # notes prepared per élu, each decided once during the run: more than a run takes (~240)


def accounts_and_web(env: dict, port: int) -> tuple[tuple[list[str], list[str], dict, dict], subprocess.Popen]:
    """The release step run, then gunicorn booting while the demo authority is loaded: its élus with notes
    in their inbox (and notes prepared for their decisions), agents who may draft (and an excursion each to
    send captures to), read and prepared."""
    setup = subprocess.Popen([sys.executable, "-c", SETUP, str(DECISIONS), procfile.line("release")], env=env,
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if setup.stdout.readline().strip() != "released":
        raise SystemExit(f"the release step failed:\n{setup.communicate()[1]}")
    with ThreadPoolExecutor(1) as starting:  # each worker imports the app: seconds, while the demo loads
        booting = starting.submit(procfile.start_web, env, port)
        out, err = setup.communicate()
        web = booting.result()
    if setup.returncode != 0:
        procfile.stop(web)
        raise SystemExit(f"preparing the demo failed:\n{err}")
    return json.loads(out.strip().splitlines()[-1]), web


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL database to use (it is emptied)")
    args = parser.parse_args()
    started = time.perf_counter()
    instance = tempfile.mkdtemp(prefix="tandem-bench-load-")
    env = environment(instance, args.postgres)
    prepare(env, args.postgres)
    port = procfile.free_port()
    (elus, agents, to_decide, trips), web = accounts_and_web(env, port)
    try:
        with ThreadPoolExecutor(8) as pool:
            sessions = list(pool.map(lambda email: Session(port, email, to_decide.get(email), trips.get(email)),
                                     elus + agents))
        print(f"gunicorn: {re.sub(r' +', ' ', procfile.line('web'))}")
        elus_with_notes = sum(bool(s.notes) for s in sessions)
        print(f"{USERS} simulated people over {len(sessions)} signed-in accounts ({elus_with_notes} élus with "
              f"notes); ready in {time.perf_counter() - started:.0f} s")
        loop = Loop(sessions, port)
        loop.start()
        loop.phase("mix", 1.0)  # warm-up: connections, compiled statements and templates in each worker;
        # the first round starts with the mix already running
        ratios, rates = [], {"mix": [], "ping": []}
        try:
            for round_ in range(ROUNDS):
                # mix ping, ping mix, mix ping…: a drift hits both sides alike, and every other phase
                # goes on with the kind already running (no wait for the other kind's last answers).
                for kind in ("mix", "ping") if round_ % 2 == 0 else ("ping", "mix"):
                    rates[kind].append(loop.phase(kind, PHASE))
                ratios.append(rates["mix"][-1] / rates["ping"][-1])
        finally:
            loop.stop()
        print(f"phases: {ROUNDS} x (mix, ping), {PHASE} s counted each; run over in "
              f"{time.perf_counter() - started:.0f} s")
        for kind in ("mix", "ping"):
            print(f"{kind}: {statistics.median(rates[kind]):.0f} requests/s (median of {ROUNDS} phases), "
                  f"{len(loop.answers[kind])} answers, {loop.errors[kind]} errors")
        print(f"decisions taken: {sum(len(to_decide.get(s.email, [])) - len(s.to_decide) for s in sessions)}, "
              f"none left to decide: {sum(s.ran_out for s in sessions)} times")
        if loop.errors["mix"] or loop.errors["ping"]:
            print("ERRORS: some requests failed")
        print(f"load: ratio {statistics.median(ratios):.2f}")
    finally:
        procfile.stop(web)


if __name__ == "__main__":
    main()
