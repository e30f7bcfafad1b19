"""Benchmark of the excursion sync protocol (issue 5): 200 captures with 20 MB of media over loopback.

    .venv/bin/python benchmarks/sync.py        # no argument, embedded SQLite, well under a minute

Tandem runs on a throwaway SQLite instance behind the Procfile's web process (gunicorn, its workers,
threads and keep-alive) on 127.0.0.1, as phones meet it; the app it serves has one endpoint more, the
baseline's. The client replays
what a phone does after a day offline (static/js/excursions.js): the metadata of 200 evidence items in
one batch, then the 40 files: small ones whole, several per request ("bundles", SHA-256 checked per file),
large ones in chunks at the server's offset, sized by the link as the page sizes them. The baseline is a
raw upload of the same bytes, one request per file, to a bare endpoint that only writes them to disk and
syncs them, measured in the same run.

The ratio is sync throughput / raw throughput. The protocol adds metadata, hashes, permission checks and
database writes; bundles save one request per file, which is why it can come out above 1.0. The figure
without bundles (every file on its own request) is printed too. Files over the chunk size (1 MiB) always
take the chunk path, bundles or not: 4 files of 3 MiB, against their raw upload, give the last line,
``sync: ratio X`` (target X >= 0.8). Their chunks are sized as static/js/uploads.js sizes them: about 2 s
of sending at the speed the page's last upload request went (here the photos' bundles), up to the
server's maximum; on loopback a 3 MiB file goes whole, as it would from a phone on a good link. The figure
with fixed 1 MiB chunks (the protocol before chunks followed the link) is printed too. Every side runs in
each of the 7 rounds, interleaved; medians.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The gunicorn workers import this module too (``web_app``): they find the instance made by the run.
_TMP = os.environ.get("TANDEM_BENCH_SYNC_DIR") or tempfile.mkdtemp(prefix="tandem-bench-sync-")
os.environ["TANDEM_INSTANCE_PATH"] = _TMP
os.environ.pop("REDIS_URL", None)
os.environ.pop("DATABASE_URL", None)

import requests  # noqa: E402

from benchmarks import procfile  # noqa: E402

PASSWORD = "mot-de-passe-bench-2026"
ITEMS = 200
FILES = 40
FILE_BYTES = 512 * 1024  # 40 x 512 KiB = 20 MiB
LARGE_FILES = 4
LARGE_BYTES = 3 * 1024 * 1024 + 12_345  # over the chunk size: these travel in chunks (recordings, videos)
ROUNDS = 7


def build_app(migrate: bool = True):
    from flask import request
    from flask_migrate import upgrade

    from webapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{_TMP}/bench.sqlite", "RATELIMIT_ENABLED": False,
                      "SERVER_NAME": None, "SECRET_KEY": "bench-secret-key-not-used-anywhere-else",
                      "EXCURSION_CHUNK_BYTES": 1024 * 1024})
    raw_folder = Path(_TMP) / "raw"
    raw_folder.mkdir(exist_ok=True)

    def raw_upload(name):
        """The baseline: the bytes written to disk, nothing else."""
        with open(raw_folder / name, "wb") as handle:
            handle.write(request.get_data(cache=False))
            handle.flush()
            os.fsync(handle.fileno())
        return "", 204

    app.add_url_rule("/bench/raw/<name>", "bench_raw", raw_upload, methods=["PUT"])
    if migrate:
        with app.app_context():
            upgrade()
    return app


def web_app():
    """What the gunicorn workers serve: the instance the run prepared."""
    return build_app(migrate=False)


def prepare(app) -> tuple[str, str, str]:
    """An agent, an élu and an excursion; returns the agent's e-mail, the excursion id and its items URL."""
    from datetime import date

    from webapp.accounts import service as accounts
    from webapp.accounts.models import OrgUnit
    from webapp.excursions import service
    from webapp.extensions import db
    from webapp.organisation.models import Elu, Mandate

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


def serve():
    """The Procfile's web line serving ``web_app``."""
    env = {**os.environ, "TANDEM_BENCH_SYNC_DIR": _TMP, "PYTHONPATH": str(procfile.ROOT),
           "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    port = procfile.free_port()
    return procfile.start_web(env, port, app="benchmarks.sync:web_app()"), f"http://127.0.0.1:{port}"


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


def large_captures(large: list[bytes]) -> list[tuple[dict, bytes | None]]:
    """One capture per large file (a long recording), under fresh UUIDs."""
    now = datetime.now(UTC)
    return [({"id": str(uuid.uuid4()), "kind": "audio", "captured_at": now.isoformat(), "text": "",
              "media": {"id": str(uuid.uuid4()), "content_type": "audio/webm", "size": len(data),
                        "sha256": hashlib.sha256(data).hexdigest()}}, data) for data in large]


confirmed: set[str] = set()  # media the server confirmed: the phone deletes its copy and never sends it again


class Link:
    """static/js/uploads.js's chunk sizing, line for line: each chunk takes about CHUNK_SECONDS at the speed
    the page's last upload request went, between a quarter of the chunk size and the maximum; the chunk size
    until something was measured; a tail under a quarter of a chunk rides with it."""

    CHUNK_SECONDS = 2
    MEASURABLE_BYTES = 64 * 1024

    def __init__(self, chunk: int, chunk_max: int):
        self.chunk, self.max, self.bytes_per_second = chunk, max(chunk_max, chunk), 0.0

    def observe(self, size: int, seconds: float) -> None:
        if size >= self.MEASURABLE_BYTES and seconds > 0:
            self.bytes_per_second = size / seconds

    def next_chunk(self, remaining: int) -> int:
        size = (min(self.max, max(self.chunk / 4, self.bytes_per_second * self.CHUNK_SECONDS))
                if self.bytes_per_second else self.chunk)
        return int(min(remaining, self.max) if remaining <= size * 1.25 else size)


def sync(session, base: str, items_url: str, batch: list[tuple[dict, bytes | None]], link: Link,
         bundle_bytes: int, bundle_files: int) -> None:
    """The phone's protocol (static/js/excursions.js): metadata by UUID (idempotent), then small files
    whole, several per request, and large files in chunks from the server's offset.

    ``bundle_bytes=0`` sends every file on its own through the chunk path: the figure without bundles."""
    bodies = [body for body, _ in batch]
    response = session.post(f"{base}{items_url}/batch", json={"items": bodies})
    assert response.status_code == 200, response.text[:300]
    assert all(r["status"] in (200, 201) for r in response.json()["results"])
    files = [(body["media"]["id"], data) for body, data in batch if data is not None]
    files = [(media_id, data) for media_id, data in files if media_id not in confirmed]
    small = [f for f in files if len(f[1]) <= link.chunk] if bundle_bytes else []
    for group in bundles(small, bundle_bytes, bundle_files):
        send_bundle(session, base, group, link)
    for media_id, data in files:
        if (media_id, data) not in small:
            send_chunks(session, f"{base}/api/v1/excursions/media/{media_id}", data, link)
            confirmed.add(media_id)


def bundles(files: list[tuple[str, bytes]], limit: int, max_files: int) -> list[list[tuple[str, bytes]]]:
    groups: list[list[tuple[str, bytes]]] = [[]]
    for media_id, data in files:
        full = len(groups[-1]) >= max_files or sum(len(d) for _, d in groups[-1]) + len(data) > limit
        if groups[-1] and full:
            groups.append([])
        groups[-1].append((media_id, data))
    return [g for g in groups if g]


def send_bundle(session, base: str, group: list[tuple[str, bytes]], link: Link) -> None:
    parts = ", ".join(f"{media_id}={len(data)}" for media_id, data in group)
    started = time.perf_counter()
    answer = session.post(f"{base}/api/v1/excursions/media/bundle", data=b"".join(d for _, d in group),
                          headers={"Content-Type": "application/octet-stream", "Bundle-Parts": parts})
    assert answer.status_code == 200, answer.text[:300]
    link.observe(sum(len(data) for _, data in group), time.perf_counter() - started)
    results = answer.json()["results"]
    assert all(r["complete"] for r in results), results
    confirmed.update(r["id"] for r in results)


def send_chunks(session, url: str, data: bytes, link: Link) -> None:
    offset, complete = 0, False
    while not complete:
        # Optimistic: send from the offset last acknowledged; a 409 says where the server really is.
        size = link.next_chunk(len(data) - offset)
        started = time.perf_counter()
        answer = session.put(f"{url}?offset={offset}", data=data[offset:offset + size],
                             headers={"Content-Type": "application/octet-stream"})
        assert answer.status_code in (200, 409), answer.text[:300]
        link.observe(size, time.perf_counter() - started)
        offset = int(answer.headers["Upload-Offset"])
        complete = answer.headers["Upload-Complete"] == "?1"


def raw(session, base: str, batch) -> None:
    for body, data in batch:
        if data is not None:
            assert session.put(f"{base}/bench/raw/{body['id']}", data=data).status_code == 204


def main() -> None:
    app = build_app()
    email, excursion_id = prepare(app)
    server, base = serve()
    try:
        session = session_for(base, email)
        items_url = f"/api/v1/excursions/{excursion_id}/items"
        chunk, bundle_bytes = app.config["EXCURSION_CHUNK_BYTES"], app.config["EXCURSION_BUNDLE_BYTES"]
        link = Link(chunk, app.config["UPLOAD_CHUNK_MAX_BYTES"])  # one page's uploader, measuring as it goes
        fixed = Link(chunk, chunk)  # chunks of the chunk size whatever the link
        bundle_files = app.config["EXCURSION_BUNDLE_FILES"]
        files = [os.urandom(FILE_BYTES) for _ in range(FILES)]
        total = sum(len(f) for f in files)
        large = [os.urandom(LARGE_BYTES) for _ in range(LARGE_FILES)]
        large_total = sum(len(f) for f in large)
        sync_times, raw_times, single_times, large_raw, large_sync, large_fixed = [], [], [], [], [], []
        for _ in range(ROUNDS):
            batch = captures(files)  # fresh UUIDs each round: every round stores 200 new items
            raw_times.append(timed(raw, session, base, batch))
            sync_times.append(timed(sync, session, base, items_url, batch, link, bundle_bytes, bundle_files))
            single_times.append(timed(sync, session, base, items_url, captures(files), link, 0, bundle_files))
            big = large_captures(large)
            large_raw.append(timed(raw, session, base, big))
            large_sync.append(timed(sync, session, base, items_url, big, link, bundle_bytes, bundle_files))
            large_fixed.append(timed(sync, session, base, items_url, large_captures(large), fixed, bundle_bytes,
                                     bundle_files))
        # A replay of a round already sent must change nothing (the same UUIDs): no duplicate, nothing re-sent.
        replay = timed(sync, session, base, items_url, batch, link, bundle_bytes, bundle_files)
    finally:
        procfile.stop(server)
    raw_s, sync_s, single_s = (statistics.median(t) for t in (raw_times, sync_times, single_times))
    print(f"items: {ITEMS}, media: {FILES} files, {total / 2**20:.1f} MiB, chunk {chunk // 1024} KiB, "
          f"bundles up to {bundle_bytes // 1024} KiB")
    print(f"raw upload, one request per file:  {raw_s * 1000:8.1f} ms  ({total / raw_s / 2**20:7.1f} MiB/s)")
    print(f"sync, files one by one:            {single_s * 1000:8.1f} ms  (ratio {raw_s / single_s:.2f})")
    print(f"sync, small files in bundles:      {sync_s * 1000:8.1f} ms  ({total / sync_s / 2**20:7.1f} MiB/s)")
    print(f"replay of a round already synced: {replay * 1000:.1f} ms")
    print(f"all files, bundles and chunks: ratio {raw_s / sync_s:.2f}")
    big_raw, big_sync = statistics.median(large_raw), statistics.median(large_sync)
    print(f"files over {chunk // 2**20} MiB in fixed {chunk // 2**20} MiB chunks: "
          f"ratio {big_raw / statistics.median(large_fixed):.2f}")
    print(f"files over {chunk // 2**20} MiB ({LARGE_FILES} x {LARGE_BYTES / 2**20:.1f} MiB, chunk path): "
          f"raw {big_raw * 1000:.1f} ms ({large_total / big_raw / 2**20:.1f} MiB/s), "
          f"sync {big_sync * 1000:.1f} ms ({large_total / big_sync / 2**20:.1f} MiB/s)")
    print(f"sync: ratio {big_raw / big_sync:.2f}")


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
