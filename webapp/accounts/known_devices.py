"""Known devices (for the sign-in limits): a browser where an account already signed in keeps a signed
cookie saying so. (The signed-in sessions themselves are `accounts/devices.py`.)

Sign-in limits (``accounts/views.py``) must slow a password guesser without letting anyone lock the
owner out. Failures are counted per address and per account *and* address; the count per account over
every address (a guesser spread over many addresses) only applies to devices the account has never
signed in from. So an attacker's wrong passwords, from anywhere, never keep the owner out of their own
phone or computer.

The cookie holds keyed hashes of the accounts (no address in clear), signed with the app's secret: it
cannot be forged, and copying it from a device gives nothing the device's session would not give.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "tandem_device"
MAX_ACCOUNTS = 5  # a shared family tablet, not a directory
MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers keep a cookie


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _account_key(email: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:32]


def _known_keys() -> list[str]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        keys = _serializer().loads(raw)
    except BadSignature:
        return []
    return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []


def is_known(email: str) -> bool:
    """Has this browser already signed in to the account with this (normalised) address?"""
    return bool(email) and _account_key(email) in _known_keys()


def remember(response: Response, email: str) -> Response:
    """After a successful sign-in: this browser is now a known device of the account."""
    key = _account_key(email)
    keys = [key, *(k for k in _known_keys() if k != key)][:MAX_ACCOUNTS]
    response.set_cookie(COOKIE, _serializer().dumps(keys), max_age=MAX_AGE, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response
