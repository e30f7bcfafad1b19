"""Absolute links for mails, pushes and published pages, always built from ``PUBLIC_URL``.

Never from the request: its ``Host`` header is whatever the client sent, so a password-reset request
with ``Host: evil.example`` would otherwise mail the victim a link to the attacker's site.
"""

from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """``PUBLIC_URL`` followed by the path of ``endpoint``."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)


def public_link(path: str) -> str:
    """``PUBLIC_URL`` followed by an app path (``/notes/…``) already built."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path
