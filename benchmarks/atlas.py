"""Benchmark of the atlas de mandature (issue 6), on embedded SQLite, under a minute, no argument:

    .venv/bin/python benchmarks/atlas.py

Builds an authority with 12 themes (one commission of 8 élus each, 4 submitted aperçus, an adopted bilan,
two mandates of budget), publishes the 12 posters, then measures
- the time to build the 12-poster A3 PDF with WeasyPrint (the worker's job, run in-process: posters laid
  out side by side, one process per core) as a ratio to a one-poster PDF made by the same functions, both
  in each of 7 interleaved rounds (target <= 8). On one core the build is serial and the ratio about 10:
  layout is 80 % of a poster and nothing of it is shared;
- the public atlas pages' latency (index and one poster, anonymous) as a ratio to a static file
  served by the same app in the same run.
The last line is ``atlas: ratio X``: the 12-poster over 1-poster PDF time (medians of the rounds).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_TMP = tempfile.mkdtemp(prefix="tandem-bench-atlas-")
os.environ["TANDEM_INSTANCE_PATH"] = _TMP
os.environ["TANDEM_QUEUE_IMMEDIATE"] = "1"
os.environ.pop("REDIS_URL", None)

THEMES = 12
MEMBERS = 8
PROJECTS = 4
PDF_ROUNDS = 7
REPEAT = 60


def build_app():
    from flask_migrate import upgrade

    from webapp import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{_TMP}/bench.sqlite", "RATELIMIT_ENABLED": False,
                      "SECRET_KEY": "bench-secret-key-not-used-anywhere-else"})
    with app.app_context():
        upgrade()
    return app


def _people(accounts, mandate, index: int):
    from webapp.extensions import db
    from webapp.organisation.models import Elu

    group = accounts.get_or_create_group("Majorité" if index % 2 else "Opposition", "MAJ" if index % 2 else "OPP")
    user = accounts.create_user(None, email=f"elu{index}@bench.test", name=f"Élu Numéro {index}")
    db.session.add(Elu(user=user, mandate=mandate, group=group))
    return user


def populate(app) -> None:
    """12 themes, each with its commission, aperçus, adopted bilan, budget and a published poster."""
    from webapp.accounts import service as accounts
    from webapp.atlas import service as atlas
    from webapp.commissions import service as commissions
    from webapp.extensions import db
    from webapp.organisation.models import Commission, Mandate

    with app.app_context():
        previous = Mandate(label="2015-2021", starts_on=date(2015, 4, 2), ends_on=date(2021, 6, 30))
        current = Mandate(label="2021-2028", starts_on=date(2021, 7, 1), ends_on=date(2028, 3, 31))
        db.session.add_all([previous, current])
        direction = accounts.get_or_create_unit("Direction générale", "direction")
        unit = accounts.get_or_create_unit("Service pilote", "service", direction)
        author = accounts.create_user(None, email="agent@bench.test", name="Agent Pilote", unit_id=unit.id)
        actor = accounts.create_user(None, email="assemblees@bench.test", name="Assemblées",
                                     unit_id=accounts.get_or_create_unit("Assemblées", "assemblies").id)
        db.session.flush()
        for t in range(THEMES):
            name = f"Thème numéro {t + 1}"
            theme = atlas.get_or_create_theme(name, t)
            commission = Commission(name=f"Commission {t + 1}", theme=name, mandate=current)
            commission.members.extend(_people(accounts, current, t * MEMBERS + m) for m in range(MEMBERS))
            db.session.add(commission)
            db.session.flush()
            projects = []
            for p in range(PROJECTS):
                apercu = commissions.create_apercu(author, {
                    "title": f"Projet {p + 1} du thème {t + 1}", "commission_id": commission.id,
                    "problem": "Un besoin constaté sur le territoire.", "target_public": "Habitants",
                    "expected_results": "Des résultats mesurables.", "obtained_results": "Objectif atteint à 80 %."})
                commissions.submit_apercu(author, apercu)
                projects.append(apercu)
            commissions.set_scale(actor, commission, ["Réussi", "Partiel", "À reprendre"])
            commissions.rank(actor, commission, {str(a.id): i % 3 for i, a in enumerate(projects)})
            commissions.save_selection(actor, commission, [a.id for a in projects[:3]],
                                       ["Premier défi", "Deuxième défi", "Troisième défi"])
            commissions.adopt(actor, commission)
            for mandate, years in ((previous, range(2015, 2022)), (current, range(2021, 2029))):
                for year in years:
                    atlas.add_line(actor, mandate, year, theme, f"{1_000_000 * (t + 1) + year}")
        for poster in atlas.ensure_posters(actor, current):
            atlas.update_poster(actor, poster, "Compétences obligatoires et partagées de la collectivité.")
            atlas.publish(actor, poster)
        db.session.commit()


def time_pdf(app) -> float:
    """One build of the whole atlas, as the worker runs it."""
    from webapp.atlas import service as atlas
    from webapp.atlas.tasks import run_build
    from webapp.extensions import db
    from webapp.organisation.models import Mandate

    with app.app_context():
        mandate = db.session.scalar(db.select(Mandate).where(Mandate.label == "2021-2028"))
        build = atlas.request_build(None, mandate)
        db.session.commit()
        started = time.perf_counter()
        run_build(str(build.id))
        elapsed = time.perf_counter() - started
        db.session.refresh(build)
        assert build.status == "done" and build.done == THEMES, (build.status, build.error)
        return elapsed


def time_one_poster(app) -> float:
    """A PDF of one poster through the build's own steps (view, print HTML, WeasyPrint, PDF)."""
    from webapp.atlas import service as atlas
    from webapp.atlas.tasks import poster_pdf
    from webapp.extensions import db
    from webapp.organisation.models import Mandate

    with app.app_context():
        mandate = db.session.scalar(db.select(Mandate).where(Mandate.label == "2021-2028"))
        started = time.perf_counter()
        assert poster_pdf(atlas.posters(mandate, published_only=True)[0]).startswith(b"%PDF-")
        return time.perf_counter() - started


def median_ms(client, path: str) -> float:
    samples = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(path)
        response.get_data()
        response.close()
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return 1000 * statistics.median(samples)


def main() -> None:
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    app = build_app()
    started = time.perf_counter()
    populate(app)
    print(f"populate: {THEMES} themes, {THEMES * PROJECTS} aperçus in {time.perf_counter() - started:.1f} s")
    time_one_poster(app)  # warm-up: fonts, stylesheet
    twelve, one = [], []
    for _ in range(PDF_ROUNDS):
        twelve.append(time_pdf(app))
        one.append(time_one_poster(app))
    pdf_ratio = statistics.median(t / o for t, o in zip(twelve, one, strict=True))
    print(f"pdf: {THEMES} A3 posters in {statistics.median(twelve):.2f} s, one poster in "
          f"{statistics.median(one):.2f} s (medians of {PDF_ROUNDS} interleaved rounds), ratio {pdf_ratio:.1f}")
    client = app.test_client()
    for path in ("/atlas", "/atlas/theme-numero-1", "/static/css/app.css"):
        client.get(path).close()  # warm caches (templates, asset hashes)
    static = median_ms(client, "/static/css/app.css")
    index = median_ms(client, "/atlas")
    poster = median_ms(client, "/atlas/theme-numero-1")
    print(f"static file: {static:.2f} ms; atlas index: {index:.2f} ms; poster page: {poster:.2f} ms (medians of "
          f"{REPEAT})")
    print(f"public pages over a static file: ratio {max(index, poster) / static:.1f}")
    print(f"atlas: ratio {pdf_ratio:.1f}")


if __name__ == "__main__":
    main()
