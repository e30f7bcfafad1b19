"""Benchmark of the excursion sync protocol (issue 5): 200 captures with 20 MB of media over loopback.

    .venv/bin/python benchmarks/sync.py        # no argument, embedded SQLite, well under a minute

Tandem runs on a throwaway SQLite instance behind a real HTTP server on 127.0.0.1. The client replays
what a phone does after a day offline: the metadata of 200 evidence items, then each file by UUID in
chunks (HEAD for the server's offset, PUT at that offset, SHA-256 checked by the server at the last
byte). The baseline is a raw upload of the same bytes to a bare endpoint that only writes them to disk,
measured in the same run. The ratio is sync throughput / raw throughput (1.0 = no protocol overhead).
Last line: ``sync: ratio X`` (target X >= 0.8).
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_TMP = tempfile.mkdtemp(prefix="tandem-bench-sync-")
os.environ["TANDEM_INSTANCE_PATH"] = _TMP
os.environ.pop("REDIS_URL", None)

import requests  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

PASSWORD = "mot-de-passe-bench-2026"
ITEMS = 200
FILES = 40
FILE_BYTES = 512 * 1024  # 40 x 512 KiB = 20 MiB
ROUNDS = 3


def build_app():
    from flask import request
    from flask_migrate import upgrade

    from webapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{_TMP}/bench.sqlite", "RATELIMIT_ENABLED": False,
                      "SERVER_NAME": None, "SECRET_KEY": "bench-secret-key-not-used-anywhere-else",
                      "EXCURSION_CHUNK_BYTES": 1024 * 1024})
    raw_folder = Path(_TMP) / "raw"
    raw_folder.mkdir()

    def raw_upload(name):
        """The baseline: the bytes written to disk, nothing else."""
        with open(raw_folder / name, "wb") as handle:
            handle.write(request.get_data(cache=False))
            handle.flush()
            os.fsync(handle.fileno())
        return "", 204

    app.add_url_rule("/bench/raw/<name>", "bench_raw", raw_upload, methods=["PUT"])
    with app.app_context():
        upgrade()
    return app


def prepare(app) -> tuple[str, str, str]:
    """An agent, an élu and an excursion; returns the agent's e-mail, the excursion id and its items URL."""
    from datetime import date

    from webapp.accounts import service as accounts
    from webapp.accounts.models import Elu, Mandate, OrgUnit
    from webapp.excursions import service
    from webapp.extensions import db

    with app.app_context():
        direction = OrgUnit(name="Direction", kind="direction")
        unit = OrgUnit(name="Service", kind="service", parent=direction)
        mandate = Mandate(label="2021-2028", starts_on=date(2021, 7, 1), ends_on=date(2028, 3, 31))
        db.session.add_all([direction, unit, mandate])
        db.session.flush()
        agent = accounts.create_user(None, email="agent@bench.test", name="Agent", password=PASSWORD, unit_id=unit.id)
        elu = accounts.create_user(None, email="elu@bench.test", name="Élu", password=PASSWORD)
        db.session.add(Elu(user=elu, mandate=mandate))
        db.session.flush()
        excursion = service.create_excursion(agent, title="Banc d’essai", elu_ids=[elu.id],
                                             starts_at=datetime.now(UTC) + timedelta(hours=1))
        db.session.commit()
        return agent.email, str(excursion.id)


def serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def session_for(base: str, email: str) -> requests.Session:
    session = requests.Session()
    token = session.get(f"{base}/api/v1/csrf-token").json()["token"]
    response = session.post(f"{base}/login", data={"email": email, "password": PASSWORD},
                            headers={"X-CSRFToken": token}, allow_redirects=False)
    assert response.status_code == 302, response.status_code
    session.headers.update({"X-CSRFToken": token, "Accept": "application/json", "X-Requested-With": "fetch"})
    return session


def captures(files: list[bytes]) -> list[tuple[dict, bytes | None]]:
    """200 items as a phone would hold them: one in five carries a photo or a recording."""
    out = []
    now = datetime.now(UTC)
    for n in range(ITEMS):
        body = {"id": str(uuid.uuid4()), "kind": "text", "captured_at": (now + timedelta(seconds=n)).isoformat(),
                "text": f"Observation {n} : file d’attente, affichage peu lisible.", "tags": ["signal faible"]}
        data = files[n // (ITEMS // FILES)] if n % (ITEMS // FILES) == 0 else None
        if data is not None:
            body.update(kind="photo", text="", media={"id": str(uuid.uuid4()), "content_type": "image/jpeg",
                                                      "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        out.append((body, data))
    return out


known_offsets: dict[str, int] = {}


def sync(session, base: str, items_url: str, batch: list[tuple[dict, bytes | None]], chunk: int) -> None:
    """The phone's protocol: metadata by UUID (idempotent), then each file from the server's offset."""
    bodies = [body for body, _ in batch]
    response = session.post(f"{base}{items_url}/batch", json={"items": bodies})
    assert response.status_code == 200, response.text[:300]
    assert all(r["status"] in (200, 201) for r in response.json()["results"])
    for body, data in batch:
        if data is None:
            continue
        url = f"{base}/api/v1/excursions/media/{body['media']['id']}"
        offset, complete = known_offsets.get(url, 0), False
        while not complete:
            # Optimistic: send from the offset last acknowledged; a 409 says where the server really is.
            answer = session.put(f"{url}?offset={offset}", data=data[offset:offset + chunk],
                                 headers={"Content-Type": "application/octet-stream"})
            assert answer.status_code in (200, 409), answer.text[:300]
            offset = int(answer.headers["Upload-Offset"])
            complete = answer.headers["Upload-Complete"] == "?1"
            known_offsets[url] = offset


def raw(session, base: str, batch) -> None:
    for body, data in batch:
        if data is not None:
            assert session.put(f"{base}/bench/raw/{body['id']}", data=data).status_code == 204


def main() -> None:
    app = build_app()
    email, excursion_id = prepare(app)
    server, base = serve(app)
    session = session_for(base, email)
    items_url = f"/api/v1/excursions/{excursion_id}/items"
    chunk = app.config["EXCURSION_CHUNK_BYTES"]
    files = [os.urandom(FILE_BYTES) for _ in range(FILES)]
    total = sum(len(f) for f in files)
    sync_times, raw_times = [], []
    for _ in range(ROUNDS):
        batch = captures(files)  # fresh UUIDs each round: every round stores 200 new items
        start = time.perf_counter()
        raw(session, base, batch)
        raw_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        sync(session, base, items_url, batch, chunk)
        sync_times.append(time.perf_counter() - start)
    # A replay of a round already sent must change nothing (the same UUIDs): no duplicate, nothing re-sent.
    start = time.perf_counter()
    sync(session, base, items_url, batch, chunk)
    replay = time.perf_counter() - start
    server.shutdown()
    raw_s, sync_s = statistics.median(raw_times), statistics.median(sync_times)
    print(f"items: {ITEMS}, media: {FILES} files, {total / 2**20:.1f} MiB, chunk {chunk // 1024} KiB")
    print(f"raw upload:  {raw_s * 1000:8.1f} ms  ({total / raw_s / 2**20:7.1f} MiB/s)")
    print(f"sync:        {sync_s * 1000:8.1f} ms  ({total / sync_s / 2**20:7.1f} MiB/s)")
    print(f"replay of a round already synced: {replay * 1000:.1f} ms")
    print(f"sync: ratio {raw_s / sync_s:.2f}")


if __name__ == "__main__":
    main()
