"""The mini-bilan (ETag/If-Match, a conflict never loses a text, PDF) and the quotas over a mandate."""

from __future__ import annotations

from datetime import date, timedelta

from webapp.core.clock import utcnow
from webapp.excursions import quotas, service
from webapp.excursions.models import Excursion
from webapp.extensions import db
from webapp.push.models import Notification


def _bilan_url(team) -> str:
    return f"/api/v1/excursions/{team.excursion.id}/bilan"


def test_concurrent_bilan_edit_is_a_412_with_the_current_text(client, app, team):
    client.login(team.agent)
    etag = client.get(_bilan_url(team)).headers["ETag"]
    saved = client.put(_bilan_url(team), json={"text": "Version de l’agent", "surprises": ""},
                       headers={"If-Match": etag})
    assert saved.status_code == 200 and saved.headers["ETag"] != etag
    other = app.test_client()
    other.login(team.elu)
    late = other.put(_bilan_url(team), json={"text": "Version de l’élu"}, headers={"If-Match": etag})
    assert late.status_code == 412
    assert late.get_json()["error"]["current"]["text"] == "Version de l’agent"
    assert client.get(_bilan_url(team)).get_json()["text"] == "Version de l’agent"


def test_bilan_page_shows_the_conflict_and_keeps_both_versions(client, app, team):
    client.login(team.elu)
    page = client.get(f"/excursions/{team.excursion.id}/bilan").get_data(as_text=True)
    etag = service.bilan_etag(team.excursion)
    assert etag.strip('"') in page
    other = app.test_client()
    other.login(team.agent)
    other.post(f"/excursions/{team.excursion.id}/bilan",
               data={"etag": etag, "text": "Texte de l’agent", "surprises": ""})
    response = client.post(f"/excursions/{team.excursion.id}/bilan",
                           data={"etag": etag, "text": "Texte de l’élu", "surprises": "La file d’attente"})
    html = response.get_data(as_text=True)
    assert response.status_code == 412
    assert "Conflit de modification" in html
    assert "Texte de l’agent" in html and "Texte de l’élu" in html and "La file d’attente" in html


def test_bilan_without_if_match_is_refused(client, team):
    client.login(team.agent)
    assert client.put(_bilan_url(team), json={"text": "x"}).status_code == 428


def test_bilan_pdf_compiles_the_evidence(client, team):
    from tests.excursions.conftest import item_body

    client.login(team.agent)
    question = team.excursion.questions[0]
    client.post(f"/api/v1/excursions/{team.excursion.id}/items",
                json=item_body("answer", text="Trois semaines d’attente", question_id=str(question.id)))
    response = client.get(f"/excursions/{team.excursion.id}/bilan")
    assert "Trois semaines d’attente" in response.get_data(as_text=True)
    pdf = client.get(f"/excursions/{team.excursion.id}/bilan.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def _done(agent, elu, day: date) -> Excursion:
    from datetime import UTC, datetime

    excursion = service.create_excursion(agent, title=f"Visite {day}", elu_ids=[elu.id],
                                         starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
    service.mark_done(agent, excursion, now=utcnow())
    db.session.commit()
    return excursion


def _state(user, day):
    return next(r for r in quotas.compliance(day=day) if r.user.id == user.id)


def test_quota_over_a_mandate(make):
    """Mandate 2021-07-01 → 2028-03-31: one per mandate for all, one every 6 months with responsibilities."""
    agent = make.agent()
    plain = make.elu("Élue sans fonction")
    vp = make.elu("Vice-président", functions=[{"kind": "vice_president"}])
    chair = make.elu("Président de commission", functions=[{"kind": "commission_president"}])
    _done(agent, vp, date(2024, 1, 10))
    _done(agent, plain, date(2022, 5, 2))
    assert _state(plain, date(2027, 12, 1)).status == "ok"
    assert _state(vp, date(2024, 5, 1)).status == "ok"
    assert _state(vp, date(2024, 7, 1)).status == "soon"
    vp_late = _state(vp, date(2024, 8, 1))
    assert vp_late.status == "behind" and vp_late.due == date(2024, 7, 10)
    assert _state(chair, date(2021, 12, 1)).status == "ok"
    assert _state(chair, date(2022, 1, 2)).status == "behind"
    # An excursion not marked done does not count.
    service.create_excursion(agent, title="Prévue", elu_ids=[chair.id], starts_at=utcnow() - timedelta(days=1))
    db.session.commit()
    assert _state(chair, date(2022, 1, 2)).status == "behind"


def test_plain_elu_is_behind_only_in_the_last_year_of_the_mandate(make):
    plain = make.elu()
    assert _state(plain, date(2025, 1, 1)).status == "todo"
    assert _state(plain, date(2027, 4, 1)).status == "behind"


def test_reminder_scan_is_idempotent_per_period(make):
    agent = make.agent()
    vp = make.elu(functions=[{"kind": "vice_president"}])
    plain = make.elu()
    _done(agent, plain, date(2022, 1, 10))
    assert quotas.send_quota_reminders(day=date(2024, 1, 1)) == 1
    db.session.commit()
    assert quotas.send_quota_reminders(day=date(2024, 1, 2)) == 0
    _done(agent, vp, date(2024, 3, 1))  # new period: due 2024-09-01
    assert quotas.send_quota_reminders(day=date(2024, 10, 1)) == 1
    notes = db.session.scalars(db.select(Notification).where(Notification.user_id == vp.id)).all()
    reminders = [n for n in notes if n.kind == "excursion.quota"]
    assert len(reminders) == 2 and all("Excursion" in n.title for n in reminders)


def test_compliance_page_is_for_the_assemblies(client, make):
    vp = make.elu("Vice-présidente Martin", functions=[{"kind": "vice_president"}])
    client.login(make.assemblies())
    page = client.get("/excursions/compliance")
    assert page.status_code == 200 and "Vice-présidente Martin" in page.get_data(as_text=True)
    assert client.get("/api/v1/excursions/compliance").get_json()["items"][0]["user"]["id"] == str(vp.id)
    client.post("/logout")
    client.login(make.agent())
    assert client.get("/excursions/compliance").status_code == 403


def test_bilan_pdf_is_attached_to_a_draft_note(client, team):
    from webapp.notes import service as notes_service

    note = notes_service.create_note(team.agent, title="Accueil du public : propositions", body="Texte",
                                     addressee_ids=[team.elu.id])
    db.session.commit()
    client.login(team.agent)
    page = client.get(f"/excursions/{team.excursion.id}/bilan").get_data(as_text=True)
    assert "Accueil du public : propositions" in page
    response = client.post(f"/excursions/{team.excursion.id}/bilan/attach", data={"note_id": str(note.id)})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/notes/{note.id}")
    db.session.expire_all()
    attachments = notes_service.get_note(note.id).attachments
    assert len(attachments) == 1 and attachments[0].content_type == "application/pdf"
    client.post("/logout")
    client.login(team.elu)  # the élu co-writes the bilan but does not act on the agent's note
    assert client.post(f"/excursions/{team.excursion.id}/bilan/attach",
                       data={"note_id": str(note.id)}).status_code == 403


def test_bilan_pdf_is_joined_to_a_commission_dossier_and_kept_from_the_cabinet(client, team, make):
    from webapp.commissions.models import Apercu

    commission = make.commission("Solidarités", members=[team.elu])
    dossier = Apercu(title="Accueil dans les maisons des solidarités", unit=team.agent.unit, author=team.agent,
                     commission=commission, status="submitted")
    other = Apercu(title="Voirie départementale", unit=make.unit("Routes", "service"), author=make.agent(),
                   status="draft")
    db.session.add_all([dossier, other])
    db.session.commit()
    team.excursion.bilan_text = "Les usagers attendent dehors faute de salle."
    db.session.commit()
    bilan_url = f"/excursions/{team.excursion.id}/bilan"

    client.login(team.elu)  # a member of the commission, co-author of the mini-bilan
    page = client.get(bilan_url).get_data(as_text=True)
    assert "Accueil dans les maisons des solidarités (Solidarités)" in page and "Voirie" not in page
    refused = client.post(f"{bilan_url}/attach-dossier", data={"apercu_id": str(other.id)})
    assert refused.status_code == 303 and not db.session.scalars(db.select(Apercu.id).where(
        Apercu.attachments.any())).all()
    response = client.post(f"{bilan_url}/attach-dossier", data={"apercu_id": str(dossier.id)})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/apercus/{dossier.id}")

    client.login(make.agent())  # any signed-in reader of the submitted dossier sees the piece
    shown = client.get(f"/apercus/{dossier.id}").get_data(as_text=True)
    assert "Mini-bilan de l’excursion « Accueil du public »" in shown
    db.session.expire_all()
    attachment = db.session.get(Apercu, dossier.id).attachments[0]
    download = client.get(f"/apercus/{dossier.id}/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")

    client.login(make.cabinet())
    assert "Mini-bilan" not in client.get(f"/apercus/{dossier.id}").get_data(as_text=True)
    assert client.get(f"/apercus/{dossier.id}/attachments/{attachment.id}").status_code == 403
