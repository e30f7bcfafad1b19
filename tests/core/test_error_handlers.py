"""The error handlers never fail: the session is rolled back first, and the API always answers JSON."""

import pytest
from sqlalchemy.exc import IntegrityError

from webapp.core.audit import AuditEvent
from webapp.extensions import db
from webapp.notes import service as notes_service


@pytest.fixture
def broken_figures(app, monkeypatch):
    """The figures fail the way a bug after a failed write does: the session is left needing a rollback,
    and what it had loaded (the signed-in person, whose language the error page needs) is expired."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)

    def broken(*args, **kwargs):
        db.session.commit()
        db.session.add(AuditEvent(action=None, subject_type="note", subject_id="x"))
        try:
            db.session.flush()
        except IntegrityError as error:
            raise RuntimeError("a bug after a failed write") from error

    monkeypatch.setattr(notes_service, "figures", broken)


def test_an_api_failure_after_a_failed_write_is_a_json_500(client, make, broken_figures):
    client.login(make.elu())
    response = client.get("/api/v1/notes/figures")
    assert response.status_code == 500 and response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["message"] == "Une erreur inattendue est survenue. Réessayez dans un instant."
    assert client.get("/api/v1/me").status_code == 200  # the next request is served normally


def test_a_page_failure_after_a_failed_write_is_the_html_error_page(client, make, broken_figures):
    client.login(make.elu())
    response = client.get("/notes/figures", headers={"Accept": "text/html"})
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert "Une erreur inattendue est survenue" in response.get_data(as_text=True)


def test_an_error_page_that_cannot_render_still_answers(client, make, monkeypatch):
    from webapp.core import errors

    def no_template(*args, **kwargs):
        raise RuntimeError("template broken")

    monkeypatch.setattr(errors, "render_template", no_template)
    client.login(make.agent())
    page = client.get("/nothing-here", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "Une erreur inattendue est survenue" in page.get_data(as_text=True)
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"
