"""Static files: compressed (brotli, gzip) and, under their content-hashed URL, cached for a year."""

from __future__ import annotations

import brotli

from webapp.core.templating import asset_url


def _versioned(app, name: str) -> str:
    with app.test_request_context():
        return asset_url(app)(name)


def get(client, url: str, **headers):
    # buffered: the client reads the file and closes it, as a server does after sending it
    return client.get(url, headers=headers, buffered=True)


def directives(response) -> set[str]:
    return {d.strip() for d in response.headers.get("Cache-Control", "").split(",")}


def test_a_content_hashed_file_is_cached_for_a_year_and_sent_compressed(app, client):
    # Style sheets and images carry a hash; scripts keep one bare URL (modules import each other so).
    url = _versioned(app, "css/app.css")
    assert "?v=" in url
    plain = get(client, url, **{"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and plain.headers.get("Content-Encoding") is None
    assert directives(plain) >= {"public", "max-age=31536000", "immutable"}
    assert plain.headers["X-Content-Type-Options"] == "nosniff" and "Access-Control-Allow-Origin" not in plain.headers

    br = get(client, url, **{"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br" and "Accept-Encoding" in br.headers["Vary"]
    assert brotli.decompress(br.data) == plain.data and len(br.data) < len(plain.data) / 2
    gz = get(client, url, **{"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and len(gz.data) < len(plain.data) / 2


def test_a_bare_or_outdated_url_is_revalidated_not_kept(client, app):
    for url in ("/static/js/app.js", "/static/js/app.js?v=000000000000"):
        response = get(client, url)
        assert response.status_code == 200
        assert "immutable" not in directives(response) and "max-age=0" in directives(response)
        again = get(client, url, **{"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304


def test_an_image_is_not_compressed_again(client, app):
    url = _versioned(app, "icons/icon-192.png")
    response = get(client, url, **{"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200 and response.headers.get("Content-Encoding") is None
    assert "immutable" in directives(response)
