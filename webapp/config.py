"""Settings read from the environment, with embedded defaults that need no configuration at all.

With nothing set, Tandem runs on SQLite in the instance folder and keeps its worker queue there too.
``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL`` to Redis for the queue and the rate limiter.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def instance_path() -> Path:
    """The folder that holds everything local to one installation (database, keys, mails)."""
    path = Path(os.environ.get("TANDEM_INSTANCE_PATH", "instance")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read_or_create_secret(path: Path) -> str:
    """Generate the secret once and keep it in the instance folder, so no secret lives in the code."""
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(folder: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        # Heroku-style URLs; SQLAlchemy wants the dialect and the psycopg 3 driver named.
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{folder / 'tandem.sqlite'}"


def from_environment() -> dict:
    """Build the Flask config mapping from the environment."""
    folder = instance_path()
    env = os.environ.get("TANDEM_ENV", "development")
    redis_url = os.environ.get("REDIS_URL", "")
    return {
        "TANDEM_ENV": env,
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _read_or_create_secret(folder / "secret_key"),
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
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 25 * 1024 * 1024)),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "tandem@localhost"),
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", 587)),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
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


def check(config: dict) -> None:
    """Refuse to start with a configuration that would be unsafe in production."""
    if config.get("TANDEM_ENV") == "production":
        if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            raise RuntimeError("TANDEM_ENV=production needs DATABASE_URL (PostgreSQL).")
        if not config.get("SESSION_COOKIE_SECURE"):
            raise RuntimeError("TANDEM_ENV=production needs secure cookies.")
