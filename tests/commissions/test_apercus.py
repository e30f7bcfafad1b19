"""Aperçus politiques: a service's own template, the draft → submitted transition, phone and print views."""

from tests.commissions.helpers import apercu, signed, world
from webapp.commissions import service
from webapp.commissions.models import Apercu
from webapp.core.models import AuditEvent
from webapp.extensions import db


def test_a_service_fills_an_apercu_with_its_own_template_and_submits_it(client, make):
    w = world(make)
    service.save_template(w.assemblies, None, guidance="Une page, des chiffres datés.")
    service.save_template(w.assemblies, w.unit, labels={"target_public": "Familles concernées"},
                          extra_fields=service.parse_extra_fields("Partenaires financeurs | organismes et montants"))
    db.session.commit()
    client.login(w.author)
    page = client.get("/apercus/new").get_data(as_text=True)
    assert "Familles concernées" in page and "Partenaires financeurs" in page
    assert "Une page, des chiffres datés." in page

    response = client.post("/apercus/new/submit", data={
        "title": "Accueil familial renforcé", "commission_id": str(w.commission.id),
        "problem": "Manque de places.", "target_public": "Enfants confiés", "expected_results": "60 recrutements",
        "figure_label": ["Assistants recrutés", ""], "figure_value": ["62", ""], "figure_unit": ["personnes", ""],
        "figure_date": ["2025", ""], "extra_partenaires-financeurs": "CAF : 120 000 €"})
    assert response.status_code == 302
    created = db.session.scalar(db.select(Apercu))
    assert created.status == "submitted"
    assert created.extra == [{"key": "partenaires-financeurs", "label": "Partenaires financeurs",
                              "value": "CAF : 120 000 €"}]
    shown = client.get(f"/apercus/{created.id}").get_data(as_text=True)
    assert "Soumis à la commission" in shown and "CAF : 120 000 €" in shown and "62 personnes" in shown
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "apercu.submitted")) is not None


def test_submitting_an_incomplete_apercu_says_what_is_missing(client, make):
    w = world(make)
    draft = service.create_apercu(w.author, {"title": "Projet à moitié rempli",
                                             "key_figures": [{"label": "Familles aidées", "value": "40"}]})
    db.session.commit()
    client.login(w.author)
    response = client.post(f"/api/v1/apercus/{draft.id}/submit")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "Problématique de départ" in error["message"]
    assert {"problem", "target_public", "expected_results", "commission_id", "key_figures"} <= set(error["fields"])
    assert "Familles aidées" in error["fields"]["key_figures"][0]
    assert db.session.get(Apercu, draft.id).status == "draft"


def test_drafts_stay_in_their_service_and_submitted_apercus_are_shared(app, make):
    w = world(make)
    draft = apercu(w, "Brouillon interne", submit=False)
    member, colleague = signed(app, w.member), signed(app, w.colleague)
    assert member.get(f"/apercus/{draft.id}").status_code == 403
    assert colleague.get(f"/apercus/{draft.id}").status_code == 200
    submitted = apercu(w, "Projet soumis")
    assert member.get(f"/apercus/{submitted.id}").status_code == 200


def test_the_print_view_is_one_sheet_with_print_css(client, make):
    w = world(make)
    a = apercu(w)
    client.login(w.member)
    page = client.get(f"/apercus/{a.id}/print").get_data(as_text=True)
    assert "apercu-sheet" in page and "css/atlas.css" in page and "Accueil familial renforcé" in page
    with client.get("/static/css/atlas.css") as response:
        css = response.get_data(as_text=True)
    assert "@media print" in css and "size: A4" in css


def test_the_api_creates_and_updates_an_apercu_idempotently(app, client, make):
    w = world(make)
    client.login(w.author)
    body = {"title": "Véloroute", "commission_id": str(w.commission.id), "problem": "Pas d’itinéraire."}
    first = client.post("/api/v1/apercus", json=body, headers={"Idempotency-Key": "k-1"})
    again = client.post("/api/v1/apercus", json=body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201 and again.get_json()["id"] == first.get_json()["id"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Apercu)) == 1
    patched = client.patch(f"/api/v1/apercus/{first.get_json()['id']}", json={"obtained_results": "42 km"})
    assert patched.status_code == 200 and patched.get_json()["obtained_results"] == "42 km"
    other = signed(app, w.other_agent)
    assert other.patch(f"/api/v1/apercus/{first.get_json()['id']}", json={"title": "x"}).status_code == 403


def test_nul_characters_are_refused_by_the_api_and_by_forms(app, client, make):
    # PostgreSQL cannot store NUL: the app refuses it up front (webapp/core/inputs.py) instead of a 500.
    w = world(make)
    client.login(w.author)
    refused = client.post("/api/v1/apercus", json={"title": "Projet\x00caché"})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {"title": ["Caractère non autorisé (U+0000)."]}
    assert client.post("/apercus/new", data={"title": "Projet\x00 propre"}).status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Apercu)) == 0


def test_the_submit_button_of_the_apercu_page_submits_it_as_written(client, make):
    # The page's "Soumettre" posts no field: it must reach the submit step, not the form's save-and-submit,
    # which would read the missing fields as emptied.
    w = world(make)
    draft = apercu(w, submit=False)
    client.login(w.author)
    page = client.get(f"/apercus/{draft.id}").get_data(as_text=True)
    assert f'action="/apercus/{draft.id}/submit"' in page
    response = client.post(f"/apercus/{draft.id}/submit", data={})
    assert response.status_code == 302
    db.session.expire_all()
    kept = db.session.get(Apercu, draft.id)
    assert kept.status == "submitted" and kept.problem == "Manque de places adaptées."
    assert kept.key_figures[0]["value"] == "62"
