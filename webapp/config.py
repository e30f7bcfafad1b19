"""Settings read from the environment, with embedded defaults that need no configuration at all.

With nothing set, Tandem runs on SQLite in the instance folder and keeps its worker queue there too.
``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis for the queue and the rate limiter.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

# How outgoing mail is protected, and the usual port of each: STARTTLS on the submission port, TLS from
# the first byte (SMTPS), or nothing at all (a relay on the local network).
SMTP_PORTS = {"starttls": 587, "tls": 465, "none": 25}


def instance_path() -> Path:
    """The folder that holds everything local to one installation (database, keys, mails)."""
    path = Path(os.environ.get("TANDEM_INSTANCE_PATH", "instance")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_private(path: Path, data: str | bytes) -> None:
    """Write a file only its owner can read: created 0600, never world-readable even for an instant."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data.encode() if isinstance(data, str) else data)
    path.chmod(0o600)  # a file that existed before keeps its old mode through O_CREAT


def _read_or_create_secret(path: Path) -> str:
    """Generate the secret once and keep it in the instance folder, so no secret lives in the code."""
    if not path.exists():
        write_private(path, secrets.token_urlsafe(48))
    return path.read_text().strip()


def _database_url(folder: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        # Heroku-style URLs; SQLAlchemy wants the dialect and the psycopg 3 driver named.
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{folder / 'tandem.sqlite'}"


def trusted_hosts(env: str, public_url: str) -> list[str] | None:
    """The host names the app answers for: in production, ``PUBLIC_URL``'s host and ``TRUSTED_HOSTS``
    (comma-separated, e.g. a load balancer's health-check name; ``.example.org`` allows subdomains).

    Any other ``Host`` header gets a 400, so nothing the app builds from the request (a redirect, a
    page's canonical link) can point to a host an attacker chose. In development any host is served,
    unless ``TRUSTED_HOSTS`` is set."""
    extra = [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    if env != "production" and not extra:
        return None
    return [h for h in (urlsplit(public_url).hostname, *extra) if h]


def from_environment() -> dict:
    """Build the Flask config mapping from the environment."""
    folder = instance_path()
    env = os.environ.get("TANDEM_ENV", "development")
    redis_url = os.environ.get("REDIS_URL", "")
    public_url = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    # In production every web process must sign with the same key: it comes from the environment only.
    secret_key = os.environ.get("SECRET_KEY") or (
        "" if env == "production" else _read_or_create_secret(folder / "secret_key"))
    security = os.environ.get("SMTP_SECURITY", "starttls")
    return {
        "TANDEM_ENV": env,
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _database_url(folder),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": env == "production",
        # "Rester connecté": the device stays signed in while used at least once every REMEMBER_DAYS days;
        # without it, the sign-in ends with the browser, and after SHARED_IDLE_HOURS idle on the server.
        "REMEMBER_DAYS": int(os.environ.get("REMEMBER_DAYS", 60)),
        "SHARED_IDLE_HOURS": int(os.environ.get("SHARED_IDLE_HOURS", 12)),
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        "PASSWORD_RESET_MAX_AGE": int(os.environ.get("PASSWORD_RESET_MAX_AGE", 3600)),
        # The authority's name as its public testimonies and open data give it (read by the neighbours).
        "AUTHORITY_NAME": os.environ.get("AUTHORITY_NAME", "Collectivité"),
        # A withdrawn testimony leaves the public site at once; its video files are deleted this many days
        # later by the worker (time to answer a dispute, then nothing is kept).
        "TESTIMONY_DROP_DAYS": int(os.environ.get("TESTIMONY_DROP_DAYS", 30)),
        # Testimonies: a filmed video at most this size, uploaded in chunks of this size.
        "TESTIMONY_VIDEO_MAX_BYTES": 200 * 1024 * 1024,
        "TESTIMONY_CHUNK_BYTES": 1024 * 1024,
        # Neighbours' open data: fetched by the worker, never more than this, never slower than this.
        "NEIGHBOUR_TIMEOUT_SECONDS": 10,
        "NEIGHBOUR_MAX_BYTES": 2 * 1024 * 1024,
        # A neighbour's address must resolve to public addresses only: the fetch runs inside the authority's
        # network, and a listed "neighbour" must not make the worker read an internal service. An intranet
        # of Tandem sites (or a test on one machine) sets it to 1.
        "NEIGHBOUR_PRIVATE_ADDRESSES": os.environ.get("NEIGHBOUR_PRIVATE_ADDRESSES") == "1",
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 25 * 1024 * 1024)),
        # Resumable uploads (excursions, testimonies): a file's chunks start at the domain's chunk size and
        # follow the link (about 2 s of sending each, static/js/uploads.js), never beyond this: on a good
        # link a recording goes in one or two requests, and a cut still loses only seconds of sending.
        "UPLOAD_CHUNK_MAX_BYTES": 8 * 1024 * 1024,
        # Excursions: a captured photo or sound at most this size; resumable uploads in chunks of this size.
        "EXCURSION_MEDIA_MAX_BYTES": 50 * 1024 * 1024,
        "EXCURSION_CHUNK_BYTES": 1024 * 1024,
        # Small files travel several per request (a round trip each costs more than their bytes on 4G);
        # 4 MiB takes a few seconds on a weak uplink, well under a server's request timeout.
        "EXCURSION_BUNDLE_BYTES": 4 * 1024 * 1024,
        "EXCURSION_BUNDLE_FILES": 32,
        "EXCURSION_PHOTO_MAX_PX": 1600,  # photos are scaled down on the phone to this longest side
        # Quotas: a VP or commission president without an excursion for this many months is reminded;
        # every élu once in this many months of the mandate.
        "EXCURSION_RESPONSIBILITY_MONTHS": 6,
        "EXCURSION_MANDATE_REMIND_MONTHS": 12,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "tandem@localhost"),
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_SECURITY": security,
        "SMTP_PORT": int(os.environ.get("SMTP_PORT") or SMTP_PORTS.get(security, 587)),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "PUBLIC_URL": public_url,
        "TRUSTED_HOSTS": trusted_hosts(env, public_url),
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "LANGUAGES": ("fr", "en"),
        # flask-smorest: the OpenAPI document lives under the API prefix.
        "API_TITLE": "Tandem API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


class ConfigurationError(Exception):
    """A setting that makes starting unsafe or impossible; its message is one line for the operator."""


def check(config: dict) -> None:
    """Refuse to start with a configuration that would be unsafe or broken."""
    if config.get("SMTP_SECURITY") not in SMTP_PORTS:
        raise ConfigurationError(f"SMTP_SECURITY={config.get('SMTP_SECURITY')} : valeurs possibles "
                                 f"{', '.join(SMTP_PORTS)}.")
    if config.get("TANDEM_ENV") != "production":
        return
    # Production runs several web processes and a worker: SQLite, a per-machine key or an in-memory
    # rate limiter would each silently break one of them, so all three are required.
    missing = [name for name, absent in (
        ("DATABASE_URL", config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")),
        ("SECRET_KEY", not config.get("SECRET_KEY")),
        ("REDIS_URL", not config.get("REDIS_URL"))) if absent]
    if missing:
        raise ConfigurationError(f"TANDEM_ENV=production exige {', '.join(missing)} "
                                 "(voir README.md, « Production »).")
    if not config.get("SESSION_COOKIE_SECURE"):
        raise ConfigurationError("TANDEM_ENV=production exige des cookies sécurisés (SESSION_COOKIE_SECURE).")
