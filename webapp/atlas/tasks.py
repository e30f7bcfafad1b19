"""Background jobs of the atlas: the print-ready PDF (A3, one poster per theme) built with WeasyPrint.

The build records its progress (posters done / total) after each poster, so the page that polls it
shows a moving indicator; the finished PDF is stored on the build row.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app

from webapp.atlas import printing
from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.jobs import task

log = logging.getLogger(__name__)


def render_posters_html(views: list, title: str) -> str:
    """The print HTML of some posters. Rendered from the Jinja environment directly: the worker has no
    request, so the request-bound context processors (current user, navigation) must not run."""
    template = current_app.jinja_env.get_template("atlas/print.html")
    return template.render(views=views, title=title)


def _stylesheet() -> str:
    return str(Path(current_app.static_folder) / "css" / "atlas.css")


def poster_html(poster) -> str:
    from webapp.atlas import service

    return render_posters_html([service.poster_view(poster)], poster.theme.name)


def poster_pdf(poster) -> bytes:
    """The PDF of one poster alone, made as the build makes each of its pages."""
    return printing.poster_pdf(poster_html(poster), current_app.static_folder, _stylesheet())


def run_build(build_id: str) -> None:
    """Render each published poster, recording progress, then join the pages into one PDF."""
    from webapp.atlas import service

    build = service.get_build(build_id)
    if build is None or build.status == "done":
        return
    build.status, build.done = "running", 0
    db.session.commit()
    try:
        posters = service.posters(build.mandate, published_only=True)
        build.total = len(posters)
        db.session.commit()

        def one_more() -> None:
            build.done += 1
            db.session.commit()

        pages = (poster_html(poster) for poster in posters)
        pdf = printing.posters_pdf(pages, len(posters), current_app.static_folder, _stylesheet(), one_more)
        build.pdf, build.size, build.status, build.finished_at = pdf, len(pdf), "done", utcnow()
        service.supersede_older_builds(build)
        db.session.commit()
    except Exception as exc:  # the page must show "failed", not spin for ever
        log.exception("atlas PDF build %s failed", build_id)
        db.session.rollback()
        build = service.get_build(build_id)
        build.status, build.error, build.finished_at = "failed", str(exc)[:1000], utcnow()
        db.session.commit()


@task(retries=0)
def build_atlas_pdf(build_id: str) -> None:
    run_build(build_id)
