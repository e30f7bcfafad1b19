"""Migrations: the migrated schema equals the models; every migration upgrades and downgrades."""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from tests.conftest import _database_url, fresh_database
from webapp import create_app
from webapp.extensions import db


@pytest.fixture
def scratch_url(tmp_path):
    """A database of its own, so that downgrading does not touch the suite's database."""
    if not os.environ.get("DATABASE_URL"):
        yield f"sqlite:///{tmp_path}/migrations.sqlite"
        return
    url = make_url(_database_url())
    scratch, drop = fresh_database(url, f"{url.database}_migrations")  # named after this run's: never shared
    yield scratch
    drop()


def _revisions(app) -> list[str]:
    script = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    from alembic.script import ScriptDirectory

    return [rev.revision for rev in ScriptDirectory.from_config(script).walk_revisions()]


def test_migrations_match_models_and_go_down_and_up(scratch_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_url})
    with app.app_context():
        revisions = _revisions(app)
        assert len(revisions) >= 1
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        # Step down one revision at a time to the base, then all the way up again.
        for _ in revisions:
            downgrade(revision="-1")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "user" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_there_is_a_single_head(app):
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1
