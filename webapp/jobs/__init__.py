"""The background worker: huey on SQLite by default, on Redis when ``REDIS_URL`` is set.

Tasks receive ids, never ORM objects, and run inside an application context. In the web process the
current app is reused; in the worker process (``huey_consumer webapp.jobs.huey``) the app is created once.
"""

from __future__ import annotations

import functools
import os

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey

from webapp.config import instance_path


def make_huey():
    """Choose the queue storage from the environment, like the rest of the configuration."""
    redis_url = os.environ.get("REDIS_URL")
    immediate = os.environ.get("TANDEM_QUEUE_IMMEDIATE") == "1"
    if redis_url:
        return RedisHuey("tandem", url=redis_url, immediate=immediate)
    return SqliteHuey("tandem", filename=str(instance_path() / "queue.sqlite"), immediate=immediate)


huey = make_huey()
_worker_app = None


def set_worker_app(app) -> None:
    """The worker process creates its app once and hands it here."""
    global _worker_app
    _worker_app = app


def _app():
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from webapp import create_app

        _worker_app = create_app()
    return _worker_app


def _in_app(fn):
    """Run ``fn`` inside an app context and commit what it did (or roll back on error)."""

    @functools.wraps(fn)
    def run_in_app(*args, **kwargs):
        from webapp.extensions import db

        with _app().app_context():
            try:
                result = fn(*args, **kwargs)
                db.session.commit()
                return result
            except Exception:
                db.session.rollback()
                raise

    return run_in_app


def task(**options):
    """A huey task that runs inside an app context and commits what it did."""

    def decorate(fn):
        return huey.task(**options)(_in_app(fn))

    return decorate


def periodic_task(schedule, **options):
    """A periodic huey task (``schedule`` is a ``huey.crontab``) run like ``task``."""

    def decorate(fn):
        return huey.periodic_task(schedule, **options)(_in_app(fn))

    return decorate
