"""Test fixtures: one app per session on SQLite (default) or PostgreSQL (``DATABASE_URL``), a clean
database per test, builders for people and organisation, a CSRF-aware client, and a live server with
Debian's Chromium for browser tests."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile

# The instance folder and the queue are chosen at import time: set them before importing the app.
_TMP = tempfile.mkdtemp(prefix="tandem-tests-")
# Removed when the run ends (after the session's fixtures have closed their files).
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
os.environ["TANDEM_INSTANCE_PATH"] = _TMP
os.environ.setdefault("TANDEM_QUEUE_IMMEDIATE", "1")
# Real argon2id hashes at the cheapest cost: see accounts.service._make_hasher.
os.environ["TANDEM_FAST_PASSWORD_HASH"] = "1"
os.environ.pop("REDIS_URL", None)

import pytest  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from tests.support.builders import Builders  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.extensions import db, limiter  # noqa: E402

PASSWORD = "motdepasse-test-2026"
pytest_plugins = ["tests.support.browser"]


class TandemClient(FlaskClient):
    """A test client that sends the CSRF header on writes, as the app's own scripts do."""

    def open(self, *args, csrf: bool = True, **kwargs):
        # Each request gets its own app context, hence its own ``g`` and database session, as in
        # production; otherwise the test's context would be reused and leak state between requests.
        with self.application.app_context():
            return self._open(*args, csrf=csrf, **kwargs)

    def _open(self, *args, csrf: bool, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if csrf and method not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(kwargs.pop("headers", None) or {})
            if "X-CSRFToken" not in headers:
                token = super().open("/api/v1/csrf-token").get_json()["token"]
                headers["X-CSRFToken"] = token
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def login(self, user, password: str = PASSWORD):
        # Sign out first: the login page sends a signed-in person home, which would keep the last one.
        self.post("/logout")
        response = self.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response


@functools.cache
def _database_url() -> str:
    """SQLite in this run's own folder, or a PostgreSQL database of this run's own beside ``DATABASE_URL``
    (``test_run<pid>``), dropped when the run ends. Every test empties the tables it ran on, so two runs
    sharing one database (a developer's run while CI runs, on the same machine) wipe each other's rows."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{_TMP}/test.sqlite"
    from sqlalchemy.engine import make_url

    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    run_url, drop = fresh_database(base, f"{base.database}_run{os.getpid()}")
    atexit.register(drop)
    return run_url


def fresh_database(url, name: str):
    """An empty PostgreSQL database ``name`` beside ``url`` (one left by a killed run is dropped first): its URL,
    and the function that drops it."""
    from sqlalchemy import create_engine, text

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def _reset_schema(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(db.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()


@pytest.fixture(scope="session")
def app():
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        "SECRET_KEY": "test-secret-key-not-used-anywhere-else",
        # The neighbour tests fetch from sites served on this machine (127.0.0.1).
        "NEIGHBOUR_PRIVATE_ADDRESSES": True,
    })
    app.test_client_class = TandemClient
    _reset_schema(app)
    yield app
    # Close pooled connections now: left to the garbage collector they raise ResourceWarnings at exit.
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _awake_at_any_hour(request, monkeypatch):
    """The suite runs at any hour: without saved preferences, a person's pushes and mails go at once
    instead of waiting for the end of the default quiet night (22h-7h in Paris), which made tests that
    expect a delivery fail when run in the evening. Tests about that default are marked ``quiet_nights``."""
    if request.node.get_closest_marker("quiet_nights") is None:
        from webapp.push import preferences

        monkeypatch.setattr(preferences, "DEFAULT_QUIET", (None, None))


@pytest.fixture(autouse=True)
def _clean(app):
    """Every test starts from an empty database and fresh rate-limit counters."""
    with app.app_context():
        yield
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        limiter.reset()


@pytest.fixture
def client(app) -> TandemClient:
    return app.test_client()


@pytest.fixture
def make(app) -> Builders:
    return Builders(PASSWORD)
