"""Sign-in, rate limiting, CSRF, password reset, profile."""

import email
import email.policy
import re
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from tests.conftest import PASSWORD
from webapp.accounts import service
from webapp.core.models import AuditEvent
from webapp.extensions import db


def test_right_password_signs_in_and_lands_on_home(client, make):
    agent = make.agent("Lucie Bernard")
    response = client.post("/login", data={"email": "  " + agent.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Bonjour Lucie" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message(client, make):
    agent = make.agent()
    response = client.post("/login", data={"email": agent.email, "password": "mauvais-mot-de-passe"})
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_inactive_account_cannot_sign_in(client, make):
    agent = make.agent()
    agent.active = False
    db.session.commit()
    response = client.post("/login", data={"email": agent.email, "password": PASSWORD})
    assert response.status_code == 200


def test_login_is_rate_limited_per_account(client, make):
    agent = make.agent()
    for _ in range(5):
        assert client.post("/login", data={"email": agent.email, "password": "faux-faux-faux"}).status_code == 200
    blocked = client.post("/login", data={"email": agent.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Trop de tentatives" in blocked.get_data(as_text=True)
    # Another account from the same address is not locked by this one's failures.
    other = make.agent()
    assert client.post("/login", data={"email": other.email, "password": PASSWORD}).status_code == 302


def _from(app, address: str):
    visitor = app.test_client()
    visitor.environ_base["REMOTE_ADDR"] = address
    return visitor


def test_an_attackers_wrong_passwords_never_lock_the_owner_out(app, make):
    owner = make.agent()
    attacker = _from(app, "203.0.113.66")
    for _ in range(5):
        attacker.post("/login", data={"email": owner.email, "password": "devine-devine"})
    assert attacker.post("/login", data={"email": owner.email, "password": "encore-une"}).status_code == 429
    home = _from(app, "198.51.100.7")
    assert home.post("/login", data={"email": owner.email, "password": PASSWORD}).status_code == 302


def test_a_guesser_spread_over_many_addresses_is_held_back_but_not_the_owners_known_device(app, make):
    owner = make.agent()
    phone = _from(app, "198.51.100.7")
    assert phone.post("/login", data={"email": owner.email, "password": PASSWORD}).status_code == 302
    phone.post("/logout")
    for n in range(10):
        _from(app, f"203.0.113.{n}").post("/login", data={"email": owner.email, "password": f"essai-{n}"})
    # An eleventh address, even with the right password: the account waits for devices it never saw...
    stranger = _from(app, "192.0.2.1")
    assert stranger.post("/login", data={"email": owner.email, "password": PASSWORD}).status_code == 429
    # ...but the owner's phone, where they signed in before, still gets in.
    assert phone.post("/login", data={"email": owner.email, "password": PASSWORD}).status_code == 302


def test_login_is_rate_limited_per_address(client, make):
    for n in range(20):
        client.post("/login", data={"email": f"inconnu{n}@example.test", "password": "x"})
    agent = make.agent()
    assert client.post("/login", data={"email": agent.email, "password": PASSWORD}).status_code == 429


def test_form_without_csrf_token_is_refused(client, make):
    agent = make.agent()
    response = client.post("/login", data={"email": agent.email, "password": PASSWORD}, csrf=False)
    assert response.status_code == 400
    assert "Jeton de sécurité" in response.get_data(as_text=True)


def test_fetch_write_without_csrf_header_gets_json_400_and_changes_nothing(client, make):
    agent = make.agent()
    client.login(agent)
    response = client.patch("/api/v1/me", json={"language": "en"}, csrf=False)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "csrf"
    db.session.refresh(agent)
    assert agent.language == "fr"
    ok = client.patch("/api/v1/me", json={"language": "en"})
    assert ok.status_code == 200 and ok.get_json()["language"] == "en"


def test_an_api_write_without_a_session_is_a_401_not_a_csrf_error(client):
    response = client.post("/api/v1/notes", json={"title": "x"}, csrf=False)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def _sent_mails() -> list[str]:
    """The mails the worker wrote to the instance folder, decoded as a mail reader would."""
    folder = Path(current_app.config["INSTANCE_PATH"]) / "mail"
    if not folder.exists():
        return []
    paths = sorted(folder.glob("*.eml"))
    mails = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in paths]
    return [f"To: {m['To']}\n{m.get_content()}" for m in mails]


def test_password_reset_by_mailed_link(client, make):
    agent = make.agent()
    before = len(_sent_mails())
    response = client.post("/password/forgot", data={"email": agent.email})
    assert response.status_code == 302
    mails = _sent_mails()
    assert len(mails) == before + 1 and agent.email in mails[-1]
    link = re.search(r"http://\S+/password/reset/\S+", mails[-1]).group(0)
    path = urlsplit(link).path
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": "nouveau-mot-de-passe", "confirm": "nouveau-mot-de-passe"})
    assert done.status_code == 302
    assert client.post("/login", data={"email": agent.email, "password": "nouveau-mot-de-passe"}).status_code == 302
    # The link served once: it is no longer valid.
    assert client.get(path).status_code == 400


def test_a_forged_host_does_not_reach_the_mailed_link(client, make, app):
    agent = make.agent()
    before = len(_sent_mails())
    forged = "http://evil.example"  # as if the request had reached the server with "Host: evil.example"
    token = client.get("/api/v1/csrf-token", base_url=forged).get_json()["token"]
    response = client.post("/password/forgot", data={"email": agent.email}, base_url=forged,
                           headers={"X-CSRFToken": token})
    assert response.status_code == 302
    mails = _sent_mails()
    assert len(mails) == before + 1
    assert "evil.example" not in mails[-1]
    link = re.search(r"\S+/password/reset/\S+", mails[-1]).group(0)
    assert link.startswith(app.config["PUBLIC_URL"] + "/password/reset/")


def test_in_production_only_the_configured_hosts_are_served(app, monkeypatch):
    from webapp import config

    monkeypatch.setenv("TRUSTED_HOSTS", "tandem-lb.internal")
    hosts = config.trusted_hosts("production", "https://tandem.example.org")
    assert hosts == ["tandem.example.org", "tandem-lb.internal"]
    monkeypatch.delenv("TRUSTED_HOSTS")
    assert config.trusted_hosts("development", "https://tandem.example.org") is None
    # The suite's app with the production setting (a second app would rebind the shared extensions).
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", hosts)
    visitor = app.test_client()
    refused = visitor.post("/password/forgot", data={"email": "x@example.org"}, headers={"Host": "evil.example"},
                           csrf=False)  # refused before CSRF is even looked at
    assert refused.status_code == 400 and refused.get_data(as_text=True) == "Unknown host."
    api = visitor.get("/api/v1/notes", headers={"Host": "evil.example"})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "bad_request"
    assert visitor.get("/login", headers={"Host": "tandem.example.org"}).status_code == 200
    assert visitor.get("/login", headers={"Host": "tandem-lb.internal:8000"}).status_code == 200


def test_unknown_address_gets_the_same_answer_and_no_mail(client):
    before = len(_sent_mails())
    response = client.post("/password/forgot", data={"email": "personne@example.test"}, follow_redirects=True)
    assert "Si cette adresse correspond à un compte" in response.get_data(as_text=True)
    assert len(_sent_mails()) == before


def test_reset_link_expires(client, make, app):
    agent = make.agent()
    token = service.reset_token(agent)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(f"/password/reset/{token}")
        assert response.status_code == 400
        assert "n’est plus valable" in response.get_data(as_text=True)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600


def test_profile_changes_password_and_language(client, make):
    agent = make.agent()
    client.login(agent)
    wrong = client.post("/profile/password", data={"current_password": "pas-le-bon",
                                          "new_password": "un-nouveau-mdp", "confirm": "un-nouveau-mdp"})
    assert wrong.status_code == 422 and "actuel est incorrect" in wrong.get_data(as_text=True)
    ok = client.post("/profile/password", data={"current_password": PASSWORD,
                                       "new_password": "un-nouveau-mdp", "confirm": "un-nouveau-mdp"})
    assert ok.status_code == 302
    client.post("/profile/language", data={"language": "en"})
    page = client.get("/profile").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "My profile" in page
    actions = set(db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.subject_id == str(agent.id))))
    assert {"user.password_changed", "user.language_changed", "user.signed_in"} <= actions


def test_logout_needs_post_and_ends_the_session(client, make):
    agent = make.agent()
    client.login(agent)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_open_redirect_after_login_is_refused(client, make):
    agent = make.agent()
    response = client.post("/login?next=//evil.example/x", data={"email": agent.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
