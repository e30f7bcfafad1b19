"""The demo authority: the vice-président's service has an agreed anti-manuel in version 2, whose history
shows what changed since version 1; an agent of the service reads it; running the demo again adds nothing."""

from __future__ import annotations

from webapp.accounts.service import find_by_email
from webapp.cooperation import service
from webapp.cooperation.models import Charter, CharterVersion
from webapp.extensions import db

PASSWORD = "mot-de-passe-de-demo"


def test_the_demo_vp_service_has_an_agreed_anti_manuel_with_its_history(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"], env={"TANDEM_DEMO_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    vp = find_by_email("sebastien.mathieu@vallee-haute.fr")
    charter = next(c for c in service.charters_of(vp) if any(e.id == vp.id for e in c.elus))
    in_force = service.agreed_version(charter)
    assert in_force.number == 2 and len(in_force.rules) == 5
    assert {a.user_id for a in in_force.agreements} == {p.id for p, _side in service.signers(charter)}
    info = next(r for r in in_force.rules if r.situation_type.key == "information")
    assert info.deadline_days == 3
    assert runner.invoke(args=["demo"], env={"TANDEM_DEMO_PASSWORD": PASSWORD}).exit_code == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Charter)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(CharterVersion)) == 2

    client = app.test_client()
    client.login(find_by_email("sophie.garcia@vallee-haute.fr"), PASSWORD)  # an agent of the service
    history = client.get(f"/cooperation/{charter.id}/history")
    assert history.status_code == 200
    text = history.get_data(as_text=True)
    assert "Changements depuis la version 1" in text and "Les informations en 3 jours" in text
    assert "Sollicitation presse" in text and "Délai (jours)" in text
    page = client.get(f"/cooperation/{charter.id}").get_data(as_text=True)
    assert "Version 2, en vigueur depuis" in page and "Décision urgente" in page
