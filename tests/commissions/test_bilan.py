"""Bilan session: the commission's scale, ranking, 3 + 3 selections, a group's own selection, the lock
after adoption; activity reports."""

from tests.commissions.helpers import apercu, signed, world
from webapp.commissions import service
from webapp.commissions.models import ActivityReport, BilanRanking, BilanSelection, BilanSession
from webapp.core.models import AuditEvent
from webapp.extensions import db

SCALE = ["Réussite marquante", "Réussi", "Partiel", "À reprendre"]
CHALLENGES = ["Recruter des travailleurs sociaux", "Vieillissement", "Santé mentale des jeunes"]


def _projects(w):
    return [apercu(w, title) for title in ("Accueil familial", "Maintien à domicile", "Parcours RSA", "PMI mobile")]


def _run_session(app, w, projects):
    president = signed(app, w.president)
    base = f"/api/v1/commissions/{w.commission.id}/bilan"
    assert president.put(f"{base}/scale", json={"levels": SCALE}).status_code == 200
    levels = {str(p.id): i % len(SCALE) for i, p in enumerate(projects)}
    assert president.put(f"{base}/rankings", json={"levels": levels}).status_code == 200
    chosen = [str(p.id) for p in projects[:3]]
    response = president.put(f"{base}/selection", json={"proud": chosen, "challenges": CHALLENGES})
    assert response.status_code == 200, response.get_json()
    return president, base


def test_the_commission_ranks_picks_three_and_three_and_a_group_records_its_own(app, make):
    w = world(make)
    projects = _projects(w)
    _president, base = _run_session(app, w, projects)
    group_id = str(w.opposition.elu_terms[0].group_id)
    group_body = {"group_id": group_id, "proud": [str(p.id) for p in projects[1:]],
                  "challenges": ["Accès aux soins", "Cantines", "Services publics"]}
    # Only the group's élus write the group's selection; a plain member cannot write the commission's.
    assert signed(app, w.member).put(f"{base}/selection", json=group_body).status_code == 403
    assert signed(app, w.member).put(f"{base}/scale", json={"levels": ["A", "B"]}).status_code == 403
    assert signed(app, w.opposition).put(f"{base}/selection", json=group_body).status_code == 200
    session = signed(app, w.member).get(base).get_json()
    assert session["scale"] == SCALE and len(session["rankings"]) == 4
    scopes = {s["scope"]: s for s in session["selections"]}
    assert scopes["commission"]["challenges"] == CHALLENGES and scopes[group_id]["proud"] == group_body["proud"]


def test_a_selection_needs_exactly_three_projects_and_three_challenges(app, make):
    w = world(make)
    projects = _projects(w)
    president, base = _run_session(app, w, projects)
    two = president.put(f"{base}/selection", json={"proud": [str(p.id) for p in projects[:2]],
                                                   "challenges": CHALLENGES})
    assert two.status_code == 422 and "proud" in two.get_json()["error"]["fields"]
    short = president.put(f"{base}/selection", json={"proud": [str(p.id) for p in projects[:3]],
                                                     "challenges": [*CHALLENGES[:2], " "]})
    assert short.status_code == 422 and "challenges" in short.get_json()["error"]["fields"]


def test_adoption_needs_every_project_ranked(app, make):
    w = world(make)
    projects = _projects(w)
    president, base = _run_session(app, w, projects)
    apercu(w, "Projet arrivé tard")
    response = president.post(f"{base}/adopt")
    assert response.status_code == 422 and "Classez tous les projets" in response.get_json()["error"]["message"]


def _state():
    session = db.session.scalar(db.select(BilanSession))
    db.session.refresh(session)
    return (session.status, list(session.scale),
            sorted((str(r.apercu_id), r.level) for r in db.session.scalars(db.select(BilanRanking))),
            sorted((s.scope, tuple(s.proud), tuple(s.challenges)) for s in db.session.scalars(
                db.select(BilanSelection))))


def _domain_events() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action != "user.signed_in"))


def test_once_adopted_every_change_is_refused_with_409_and_changes_nothing(app, make):
    w = world(make)
    projects = _projects(w)
    president, base = _run_session(app, w, projects)
    assert president.post(f"{base}/adopt").status_code == 200
    before = _state()
    events = _domain_events()
    group_id = str(w.opposition.elu_terms[0].group_id)
    attempts = [
        (president, "put", f"{base}/scale", {"levels": ["Bien", "Moins bien"]}),
        (president, "put", f"{base}/rankings", {"levels": {str(projects[0].id): 3}}),
        (president, "put", f"{base}/rankings", {"levels": {str(projects[0].id): None}}),
        (president, "put", f"{base}/selection", {"proud": [str(p.id) for p in projects[1:]],
                                                 "challenges": ["a", "b", "c"]}),
        (signed(app, w.opposition), "put", f"{base}/selection",
         {"group_id": group_id, "proud": [str(p.id) for p in projects[:3]], "challenges": ["a", "b", "c"]}),
        (president, "post", f"{base}/adopt", None),
    ]
    for client, method, url, body in attempts:
        response = getattr(client, method)(url, json=body)
        assert response.status_code == 409, (url, body, response.get_json())
        assert "adopté" in response.get_json()["error"]["message"]
    assert _state() == before
    assert _domain_events() == events
    # The page says so and offers no form any more.
    page = signed(app, w.president).get(f"/commissions/{w.commission.id}/bilan").get_data(as_text=True)
    assert "il ne peut plus être modifié" in page and "Enregistrer l’échelle" not in page
    html = signed(app, w.president).post(f"/commissions/{w.commission.id}/bilan/echelle",
                                         data={"scale": "A\nB"})
    assert html.status_code == 409 and _state() == before


def test_activity_reports_are_pdfs_under_the_size_limit(app, make, monkeypatch):
    # A small limit keeps the test fast and the upload in memory; the rule is the same at 10 Mo.
    monkeypatch.setattr(service.activity_reports, "MAX_REPORT_BYTES", 200 * 1024)
    w = world(make)
    make.mandate()
    author = signed(app, w.author)
    big = b"%PDF-1.7\n" + b"0" * (200 * 1024 + 1)
    too_big = author.post("/commissions/rapports", data={"title": "Rapport 2025", "file": (__import__("io").BytesIO(
        big), "rapport.pdf")}, content_type="multipart/form-data")
    assert too_big.status_code == 413
    assert "la limite est de 200\u00a0Ko" in too_big.get_data(as_text=True)
    not_pdf = author.post("/commissions/rapports", data={"file": (__import__("io").BytesIO(b"hello"), "a.docx")},
                          content_type="multipart/form-data")
    assert not_pdf.status_code == 422 and "PDF" in not_pdf.get_data(as_text=True)
    ok = author.post("/commissions/rapports", data={"title": "Rapport 2025", "file": (__import__("io").BytesIO(
        b"%PDF-1.7\nminimal"), "rapport.pdf")}, content_type="multipart/form-data")
    assert ok.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(ActivityReport)) == 1
    listing = signed(app, w.assemblies).get("/commissions/rapports").get_data(as_text=True)
    assert "Rapport 2025" in listing and "Enfance et famille" in listing
    assert signed(app, w.member).get("/commissions/rapports").status_code == 403
