"""Error format, security headers, OpenAPI document."""

from tests.conftest import PASSWORD


def test_api_without_session_is_json_401_not_a_redirect(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthenticated"


def test_page_without_session_redirects_to_login(client):
    response = client.get("/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/profile")


def test_unknown_api_path_is_json_404(client, make):
    client.login(make.agent())
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json() == {"error": {"code": "not_found", "message": "Cette page n’existe pas ou plus.",
                                             "fields": {}}}


def test_unknown_page_is_html_404(client):
    response = client.get("/nothing-here", headers={"Accept": "text/html"})
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_bad_input_gets_422_with_field_errors(client, make):
    client.login(make.user(admin=True, unit=make.unit()))
    response = client.post("/api/v1/people", json={"email": "pas-une-adresse", "name": ""})
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"email", "name"}


def test_malformed_json_is_400_json(client, make):
    client.login(make.agent())
    response = client.patch("/api/v1/me", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "error" in response.get_json()


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # development: no HSTS on plain HTTP


def test_session_cookie_flags(client, make):
    agent = make.agent()
    response = client.post("/login", data={"email": agent.email, "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_openapi_document_lists_the_api(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/me" in doc["paths"] and "/api/v1/people" in doc["paths"]


def test_english_is_available_on_the_login_page(client):
    client.post("/language", data={"language": "en"})
    page = client.get("/login").get_data(as_text=True)
    assert "Sign in" in page


def test_nul_characters_are_refused_before_reaching_the_database(client, make):
    client.login(make.agent())
    assert client.get("/api/v1/people?q=a%00b").status_code == 422
    response = client.patch("/api/v1/me", json={"language": "fr\u0000"})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"language": ["Caractère non autorisé (U+0000)."]}
