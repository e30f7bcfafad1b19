"""The atlas PDF builds, queued for the worker; a newer build supersedes the older ones."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _

from webapp.atlas.models import (
    AtlasBuild,
)
from webapp.atlas.service.common import _invalid
from webapp.atlas.service.posters import posters
from webapp.core import audit
from webapp.extensions import db
from webapp.organisation.models import Mandate

# --- PDF builds -------------------------------------------------------------------------------------

def request_build(actor, mandate: Mandate) -> AtlasBuild:
    """Queue a PDF build of the mandate's published posters (the caller commits, then enqueues)."""
    count = len(posters(mandate, published_only=True))
    if count == 0:
        raise _invalid(_("Aucune affiche publiée : rien à imprimer."))
    build = AtlasBuild(mandate=mandate, status="queued", total=count, requested_by_id=getattr(actor, "id", None))
    db.session.add(build)
    db.session.flush()
    audit.record(actor, "atlas.build_requested", build, None, {"mandate": mandate.label, "posters": count})
    return build


def supersede_older_builds(build: AtlasBuild) -> int:
    """Drop the PDFs of the mandate's earlier builds once a newer one is done: the public link always
    serves the latest, and each PDF weighs megabytes in the database. The rows stay, as history."""
    older = db.session.scalars(db.select(AtlasBuild).where(
        AtlasBuild.mandate_id == build.mandate_id, AtlasBuild.id != build.id, AtlasBuild.status == "done",
        AtlasBuild.created_at <= build.created_at)).all()
    for old in older:
        old.status, old.pdf = "superseded", None
    return len(older)


def get_build(build_id) -> AtlasBuild | None:
    try:
        return db.session.get(AtlasBuild, uuid.UUID(str(build_id)))
    except ValueError:
        return None


def latest_build(mandate: Mandate, done_only: bool = False) -> AtlasBuild | None:
    stmt = db.select(AtlasBuild).where(AtlasBuild.mandate_id == mandate.id)
    if done_only:
        stmt = stmt.where(AtlasBuild.status == "done")
    return db.session.scalar(stmt.order_by(AtlasBuild.created_at.desc()).limit(1))
